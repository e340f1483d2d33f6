//go:build !linux

package engine

import "time"

// SelfCPU reports 0: CPU times are read from Linux's getrusage and /proc.
func SelfCPU() time.Duration { return 0 }

// ProcCPU reports 0 off Linux.
func ProcCPU(int) time.Duration { return 0 }

// ProcRSS reports 0 off Linux.
func ProcRSS(int) int64 { return 0 }

// LoadAvg reports "unknown" off Linux.
func LoadAvg() string { return "unknown" }
