/* The CPUID a vCPU sees: what KVM supports, minus what this host cannot run. */
#ifndef MINIKVM_CPUID_H
#define MINIKVM_CPUID_H

struct hostprobe;

int cpuid_setup(int vcpu_fd, int kvm_fd, int vcpu_id, const struct hostprobe *probe);

#endif
