package memdynamo

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is an engine served on a loopback TCP port, for tools and programs in other languages
// (httptest style).
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:PORT"; set it as the SDK's endpoint
	// (AWS_ENDPOINT_URL_DYNAMODB).
	URL string

	ln  net.Listener
	srv *http.Server
	err chan error
}

// Serve starts serving e on addr ("127.0.0.1:0" picks a free port). The address must be a
// loopback address: the engine has no authentication. It returns once the listener accepts
// connections.
func Serve(e *Engine, addr string) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, errors.New("memdynamo: Serve listens on a loopback address only, not " + addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		ln:  ln,
		srv: &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second},
		err: make(chan error, 1),
	}
	go func() { s.err <- s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server: it stops accepting, waits up to five seconds for requests in flight,
// then closes the rest. It does not close the engine.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	if serr := <-s.err; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return serr
	}
	return err
}
