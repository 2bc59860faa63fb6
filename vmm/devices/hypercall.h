/* The hypercall port (guest ABI, README "Hypercalls"): `out 0x500, al` with AL the
 * function, the argument in BX/EBX/RBX as wide as the guest's mode, the result in
 * AX/EAX/RAX. Also the debug-exit port 0xf4: writing N ends the VMM with status N. */
#ifndef MINIKVM_HYPERCALL_H
#define MINIKVM_HYPERCALL_H

#define HYPERCALL_PORT 0x500
#define EXITPORT_PORT 0xf4

enum hypercall_fn {
    HC_EXIT = 0,
    HC_PUTCHAR = 1,
    HC_PUTNUM = 2,
    HC_NEWLINE = 3,
    HC_GETCHAR = 4,
    HC_COUNT
};

struct io_req;
/* owner: the struct machine */
int hypercall_io(void *owner, struct io_req *req);
int exitport_io(void *owner, struct io_req *req);

#endif
