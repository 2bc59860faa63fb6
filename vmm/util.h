/* Small helpers every module may use (gdbstub/ and loader/ too): no KVM, no state. */
#ifndef MINIKVM_UTIL_H
#define MINIKVM_UTIL_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
