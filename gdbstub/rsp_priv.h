/* Shared between the packet handler files of gdbstub/; not for other modules. */
#ifndef MINIKVM_RSP_PRIV_H
#define MINIKVM_RSP_PRIV_H

#include "gdbstub/rsp.h"

/* A handler gets the bytes after the packet's name, [args, end), and writes the
 * reply. The packet is NUL-terminated at end but may hold NULs before it. */
typedef enum rsp_action (*rsp_handler)(struct rsp_session *ss, const char *args, const char *end,
                                       struct strbuf *reply);

/* The view that fits CPU's mode now (ops->arch). */
enum gdb_arch rsp_target_arch(struct rsp_session *ss, int cpu);
/* The target's canonical register block of CPU into ss->canon. */
int rsp_read_canon(struct rsp_session *ss, int cpu);

/* "E" + two decimal digits of the errno of rc (<0), the convention documented
 * in gdbstub.h; errnos above 99 become E05 (EIO) to stay two digits, which is
 * what gdb recognises as an error reply. */
void rsp_error(struct strbuf *reply, int rc);

/* The vCPU a selection means: sel >= 0 itself, otherwise the one that stopped. */
int rsp_cpu(const struct rsp_session *ss, int sel);
/* gdb thread id -> vCPU, or -ESRCH when there is no such thread (ids are cpu+1). */
int rsp_tid_cpu(const struct rsp_session *ss, long tid);

/* ---- handlers, by file ---- */

/* rsp_regs_mem.c */
enum rsp_action rsp_h_read_regs(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_write_regs(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_read_reg(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_write_reg(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_read_mem(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_write_mem_hex(struct rsp_session *, const char *, const char *,
                                    struct strbuf *);
enum rsp_action rsp_h_write_mem_bin(struct rsp_session *, const char *, const char *,
                                    struct strbuf *);

/* rsp_resume.c */
enum rsp_action rsp_h_continue(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_continue_sig(struct rsp_session *, const char *, const char *,
                                   struct strbuf *);
enum rsp_action rsp_h_step(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_step_sig(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_vcont_query(struct rsp_session *, const char *, const char *,
                                  struct strbuf *);
enum rsp_action rsp_h_vcont(struct rsp_session *, const char *, const char *, struct strbuf *);

/* rsp_break.c */
enum rsp_action rsp_h_insert_bp(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_remove_bp(struct rsp_session *, const char *, const char *, struct strbuf *);

/* rsp_query.c */
enum rsp_action rsp_h_supported(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_xfer_features(struct rsp_session *, const char *, const char *,
                                    struct strbuf *);
enum rsp_action rsp_h_rcmd(struct rsp_session *, const char *, const char *, struct strbuf *);
enum rsp_action rsp_h_thread_extra(struct rsp_session *, const char *, const char *,
                                   struct strbuf *);
enum rsp_action rsp_h_thread_first(struct rsp_session *, const char *, const char *,
                                   struct strbuf *);
enum rsp_action rsp_h_thread_next(struct rsp_session *, const char *, const char *,
                                  struct strbuf *);

#endif
