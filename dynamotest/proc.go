package dynamotest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// process is a started child whose exit is observed by one goroutine.
type process struct {
	cmd  *exec.Cmd
	pid  int
	done chan struct{} // closed once the child has exited and been reaped
	err  error         // cmd.Wait's result, valid after done
}

// startProcess starts cmd and reaps it in the background.
//
// The goroutine that starts the child keeps its OS thread locked until the
// child has exited: on Linux the child's parent-death signal fires when the
// thread that forked it ends, not only when the process does, and Go may
// otherwise retire that thread while the server is still needed.
func startProcess(cmd *exec.Cmd) (*process, error) {
	p := &process{cmd: cmd, done: make(chan struct{})}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		p.pid = cmd.Process.Pid
		started <- nil
		p.err = cmd.Wait()
		close(p.done)
	}()
	if err := <-started; err != nil {
		return nil, err
	}
	return p, nil
}

// exited reports whether the child has exited.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop ends the child's process group: SIGTERM, then SIGKILL once grace has
// passed, then waits for the child to be reaped. Stopping an exited child is
// a no-op.
func (p *process) stop(grace time.Duration) error {
	if p.exited() {
		return nil
	}
	if err := terminateGroup(p.cmd.Process); err != nil {
		return fmt.Errorf("dynamotest: stopping DynamoDB Local (pid %d): %w", p.pid, err)
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.done:
		return nil
	case <-t.C:
	}
	if err := killGroup(p.cmd.Process); err != nil && !p.exited() {
		return fmt.Errorf("dynamotest: killing DynamoDB Local (pid %d): %w", p.pid, err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(10 * time.Second):
		return fmt.Errorf("dynamotest: DynamoDB Local (pid %d) still running 10s after SIGKILL", p.pid)
	}
}

// tailBuffer is an io.Writer, safe for concurrent use, that keeps the last
// max bytes written to it.
type tailBuffer struct {
	mu      sync.Mutex
	max     int
	buf     []byte
	dropped int64
}

func newTailBuffer(max int) *tailBuffer { return &tailBuffer{max: max} }

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := len(p)
	if len(p) > b.max {
		b.dropped += int64(len(p) - b.max)
		p = p[len(p)-b.max:]
	}
	if over := len(b.buf) + len(p) - b.max; over > 0 {
		b.dropped += int64(over)
		b.buf = append(b.buf[:0], b.buf[over:]...)
	}
	b.buf = append(b.buf, p...)
	return n, nil
}

// String returns what is kept, noting how much was dropped before it.
func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(string(b.buf))
	if b.dropped > 0 {
		s = fmt.Sprintf("[%d earlier bytes dropped]\n%s", b.dropped, s)
	}
	if s == "" {
		s = "(no output)"
	}
	return s
}

// listenerOwned reports whether the TCP listener on port belongs to process
// pid, judged from /proc. known is false where /proc cannot tell (not Linux,
// or no listener on port listed); callers then trust the answer they got on
// the port. A process whose descriptors cannot be read (one that is exiting,
// say) owns nothing.
func listenerOwned(pid, port int) (owned, known bool) {
	inodes := map[string]bool{}
	for _, name := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		listenInodes(name, port, inodes)
	}
	if len(inodes) == 0 {
		return false, false
	}
	fdDir := filepath.Join("/proc", strconv.Itoa(pid), "fd")
	fds, err := os.ReadDir(fdDir)
	if err != nil { // gone, or not ours to look at: either way not our server
		return false, true
	}
	for _, fd := range fds {
		link, err := os.Readlink(filepath.Join(fdDir, fd.Name()))
		if err != nil {
			continue
		}
		if inode, ok := strings.CutPrefix(link, "socket:["); ok && inodes[strings.TrimSuffix(inode, "]")] {
			return true, true
		}
	}
	return false, true
}

// listenInodes adds to inodes the socket inodes of the listeners on port
// found in a /proc/net/tcp-format file.
func listenInodes(name string, port int, inodes map[string]bool) {
	f, err := os.Open(name)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
		fields := strings.Fields(sc.Text())
		if len(fields) < 10 || fields[3] != "0A" { // 0A is TCP_LISTEN
			continue
		}
		i := strings.LastIndexByte(fields[1], ':')
		if i < 0 {
			continue
		}
		if p, err := strconv.ParseUint(fields[1][i+1:], 16, 16); err == nil && int(p) == port {
			inodes[fields[9]] = true
		}
	}
}
