// Package pgtest starts a throwaway PostgreSQL server for tests and
// benchmarks: initdb into a temporary folder, postgres on a free port of
// 127.0.0.1 with its socket in that folder, stopped and removed by Stop.
// As root (CI) both run as the postgres user, which initdb and postgres
// require. The binaries are Debian's (/usr/lib/postgresql/N/bin), or
// PG_BINDIR's, or those on PATH.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrNoServer: no PostgreSQL binaries were found.
var ErrNoServer = errors.New("pgtest: no PostgreSQL server binaries (apt-get install postgresql, or set PG_BINDIR)")

// Server is a running throwaway cluster. Its superuser is postgres with
// Password: TCP connections need it (scram-sha-256), socket ones do not.
type Server struct {
	Dir      string // the temporary folder: data/, the socket, the log
	Port     int
	Password string
	BinDir   string
	cmd      *exec.Cmd
	exited   chan struct{}
}

// Options of Start.
type Options struct {
	// Durable keeps fsync and synchronous_commit on (benchmarks); tests
	// turn them off.
	Durable bool
}

// BinDir finds the folder of initdb and postgres.
func BinDir() (string, error) {
	if d := os.Getenv("PG_BINDIR"); d != "" {
		return d, nil
	}
	if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres"); len(m) > 0 {
		sort.Slice(m, func(i, j int) bool { return version(m[i]) > version(m[j]) })
		return filepath.Dir(m[0]), nil
	}
	if p, err := exec.LookPath("postgres"); err == nil {
		if _, err := exec.LookPath("initdb"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	return "", ErrNoServer
}

func version(bin string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(bin))))
	return n
}

// Start runs initdb and starts postgres; Stop ends it.
func Start(o Options) (*Server, error) {
	bin, err := BinDir()
	if err != nil {
		return nil, err
	}
	removeStale()
	dir, err := os.MkdirTemp("", "pgtest-")
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	s := &Server{Dir: dir, BinDir: bin, Password: "pgtest-" + strconv.FormatInt(time.Now().UnixNano(), 36)}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	pw := filepath.Join(dir, "pwfile")
	if err := os.WriteFile(pw, []byte(s.Password+"\n"), 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if cred != nil {
		os.Chown(pw, int(cred.Uid), int(cred.Gid))
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", filepath.Join(dir, "data"), "-U", "postgres",
		"--pwfile", pw, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Env = env()
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	os.Remove(pw)
	for attempt := 0; ; attempt++ {
		err = s.start(bin, cred, o)
		if err == nil {
			return s, nil
		}
		if attempt == 4 || !strings.Contains(err.Error(), "could not bind") && !strings.Contains(err.Error(), "could not create any TCP/IP sockets") {
			os.RemoveAll(dir)
			return nil, err
		}
	}
}

// removeStale removes the folders of earlier servers whose test process
// died without Stop (a panic, a kill): postgres went with it (Pdeathsig),
// the folder stayed. A folder is stale when it is over ten minutes old
// and no live postgres holds it (postmaster.pid gone, or naming a dead
// process).
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "pgtest-*"))
	for _, d := range dirs {
		fi, err := os.Stat(d)
		if err != nil || !fi.IsDir() || time.Since(fi.ModTime()) < 10*time.Minute {
			continue
		}
		if b, err := os.ReadFile(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			line, _, _ := strings.Cut(string(b), "\n")
			if pid, err := strconv.Atoi(strings.TrimSpace(line)); err == nil && pid > 0 {
				if err := syscall.Kill(pid, 0); err == nil || err == syscall.EPERM {
					continue // alive
				}
			}
		}
		os.RemoveAll(d)
	}
}

// credential is the postgres user's when running as root (initdb and
// postgres refuse root), after handing it dir; nil otherwise.
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root needs the postgres user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

func env() []string {
	return []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "TZ=UTC"}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) start(bin string, cred *syscall.Credential, o Options) error {
	port, err := freePort()
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	s.Port = port
	args := []string{"-D", filepath.Join(s.Dir, "data"), "-p", strconv.Itoa(port), "-k", s.Dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "max_connections=30", "-c", "shared_buffers=64MB"}
	if !o.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logPath := filepath.Join(s.Dir, "postgres.log")
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	// SIGQUIT (immediate shutdown) if the test process dies without Stop.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	cmd.Env = env()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("pgtest: postgres: %w", err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func() { cmd.Wait(); close(s.exited) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		c, err := pgx.Connect(ctx, s.SocketURL("postgres"))
		cancel()
		if err == nil {
			c.Close(context.Background())
			return nil
		}
		select {
		case <-s.exited:
			log, _ := os.ReadFile(logPath)
			return fmt.Errorf("pgtest: postgres exited: %s", log)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Stop()
			return fmt.Errorf("pgtest: postgres did not accept connections within a minute: %v", err)
		}
	}
}

// URL is a TCP connection URL to database db without the password (give it
// with PGPASSWORD, ~/.pgpass or URLWithPassword).
func (s *Server) URL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s", s.Port, db)
}

// URLWithPassword is URL with the password in it.
func (s *Server) URLWithPassword(db string) string {
	return fmt.Sprintf("postgres://postgres:%s@127.0.0.1:%d/%s", s.Password, s.Port, db)
}

// SocketURL connects through the Unix socket, where no password is asked.
func (s *Server) SocketURL(db string) string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s&port=%d", db, s.Dir, s.Port)
}

// CreateDB creates a database and returns its socket URL.
func (s *Server) CreateDB(ctx context.Context, name string) (string, error) {
	c, err := pgx.Connect(ctx, s.SocketURL("postgres"))
	if err != nil {
		return "", err
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	return s.SocketURL(name), nil
}

// Stop shuts postgres down (fast) and removes the folder.
func (s *Server) Stop() error {
	if s == nil {
		return nil
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-s.exited:
		case <-time.After(30 * time.Second):
			s.cmd.Process.Kill()
			<-s.exited
		}
	}
	return os.RemoveAll(s.Dir)
}

// Main is a TestMain body: it starts the server into *srv, runs the tests
// and stops it. Without PostgreSQL binaries the tests that need the server
// skip, except under CI=true, where it is a failure: CI installs them.
func Main(m *testing.M, srv **Server) int {
	s, err := Start(Options{})
	if err != nil {
		if os.Getenv("CI") == "true" || !errors.Is(err, ErrNoServer) {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		skipReason = err.Error()
		return m.Run()
	}
	*srv = s
	code := m.Run()
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	return code
}

var skipReason string

// Need returns the server, skipping the test when Main found none.
func Need(t testing.TB, srv *Server) *Server {
	t.Helper()
	if srv == nil {
		t.Skip(skipReason)
	}
	return srv
}

// Lazy starts the server on first use, for a test binary where few tests
// need it. Stop it after m.Run.
type Lazy struct {
	once sync.Once
	s    *Server
	err  error
}

// Get returns the server, starting it the first time; without PostgreSQL
// binaries the test skips, or fails under CI=true.
func (z *Lazy) Get(t testing.TB) *Server {
	t.Helper()
	z.once.Do(func() { z.s, z.err = Start(Options{}) })
	if z.err != nil {
		if os.Getenv("CI") == "true" || !errors.Is(z.err, ErrNoServer) {
			t.Fatal(z.err)
		}
		t.Skip(z.err)
	}
	return z.s
}

// Stop stops a server Get started.
func (z *Lazy) Stop() error { return z.s.Stop() }
