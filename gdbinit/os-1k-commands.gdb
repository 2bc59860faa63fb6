# os-1k's gdb commands; gdbinit/os-1k.py loads them (with common.gdb, the symbols and
# the connection), so start with:  gdb -x gdbinit/os-1k.py
#
# The shell is linked at USER_BASE (0x40000000) and runs in ring 3 in its own
# address space; the kernel is at 1 MiB in every address space. A breakpoint in
# the shell can only be planted while a process that maps the shell is current
# (its cr3 is loaded): the VMM plants breakpoints when the guest resumes, through
# the page tables loaded then, and keeps the others pending until a later resume.
# `os1k-break-user LOCATION` handles that (below).
define os1k-connect
  if $argc == 0
    target remote 127.0.0.1:1234
  else
    target remote 127.0.0.1:$arg0
  end
end
document os1k-connect
Connect to `vmm --gdb PORT` on this machine: os1k-connect [PORT] (default 1234).
end

define os1k-procs
  set $i = 0
  printf "pid state    kernel sp          cr3 (pml4)\n"
  while $i < sizeof(procs) / sizeof(procs[0])
    if procs[$i].state != 0 || $i == 0
      printf "%-3d ", procs[$i].pid
      if procs[$i].state == PROC_RUNNABLE
        printf "runnable "
      else
        printf "exited   "
      end
      printf "%#018lx %#lx", procs[$i].sp, procs[$i].pml4
      if &procs[$i] == current_proc
        printf "  <- current"
      end
      printf "\n"
    end
    set $i = $i + 1
  end
end
document os1k-procs
The process table: pid, state, saved kernel stack pointer, page-table root.
end

define os1k-where
  if current_proc == 0
    printf "booting (no process yet), cpl %d, cr3 %#lx\n", $cs & 3, $cr3
  else
    printf "pid %d, cpl %d, cr3 %#lx, ticks %lu\n", current_proc->pid, $cs & 3, $cr3, ticks
  end
end
document os1k-where
Which process runs (pid 0 is idle), at which privilege level, in which address space.
end

# At every stop: which process, kernel or user mode, which address space
# (quietly nothing once the guest has exited and there are no registers).
define hook-stop
  python exec("try: gdb.execute('os1k-where')\nexcept gdb.error: pass")
end

define os1k-break-user
  if current_proc != 0 && current_proc->pid > 0
    break $arg0
  else
    tbreak user_entry
    continue
    break $arg0
  end
end
document os1k-break-user
Break in user code: os1k-break-user LOCATION (e.g. main, cmd_calc, shell.c:200).
In a user process's context it plants LOCATION at once; otherwise it first runs to
the next process start (user_entry), where the shell is mapped.
end

define os1k-frame
  p/x *(struct trap_frame *)$arg0
end
document os1k-frame
Print a trap frame: os1k-frame ADDRESS (the argument of trap_handler or handle_syscall).
end
