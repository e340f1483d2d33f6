//go:build unix

package dynamotest

import (
	"errors"
	"os"
	"syscall"
)

// sysProcAttr puts the server in a process group of its own, led by the
// server, so that stopping it reaches everything it started.
func sysProcAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{Setpgid: true}
	setParentDeathSignal(attr)
	return attr
}

// terminateGroup sends SIGTERM to the process group p leads.
func terminateGroup(p *os.Process) error { return signalGroup(p, syscall.SIGTERM) }

// killGroup sends SIGKILL to the process group p leads.
func killGroup(p *os.Process) error { return signalGroup(p, syscall.SIGKILL) }

func signalGroup(p *os.Process, sig syscall.Signal) error {
	err := syscall.Kill(-p.Pid, sig)
	if errors.Is(err, syscall.ESRCH) { // already gone
		return nil
	}
	return err
}
