package dynamotest

import "syscall"

// setParentDeathSignal makes the kernel SIGKILL the server when the test
// binary dies without stopping it (a panicking test, -timeout, a signal).
func setParentDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
