//go:build !unix

package dynamotest

import (
	"errors"
	"os"
	"syscall"
)

// sysProcAttr returns nil: process groups are a Unix notion.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// terminateGroup kills p: there is no SIGTERM to send here.
func terminateGroup(p *os.Process) error { return killGroup(p) }

// killGroup kills p.
func killGroup(p *os.Process) error {
	if err := p.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	return nil
}
