// Command pgserve runs a throwaway PostgreSQL server (internal/pgtest) for
// the benchmarks and for trying the postgres:// output by hand:
//
//	go run ./internal/pgtest/pgserve [-durable] [-db NAME]
//
// It prints the TCP URL (with the password) and the socket URL of database
// NAME on stdout, one per line, then serves until stdin closes or it gets
// SIGINT/SIGTERM, and removes the cluster.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/incidentkit/incidents/internal/pgtest"
)

func main() {
	durable := flag.Bool("durable", false, "keep fsync and synchronous_commit on (as a real server runs)")
	db := flag.String("db", "bench", "database to create")
	flag.Parse()
	s, err := pgtest.Start(pgtest.Options{Durable: *durable})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := 0
	if _, err := s.CreateDB(context.Background(), *db); err != nil {
		fmt.Fprintln(os.Stderr, "pgserve:", err)
		code = 1
	} else {
		fmt.Println(s.URLWithPassword(*db))
		fmt.Println(s.SocketURL(*db))
		done := make(chan struct{})
		go func() { io.Copy(io.Discard, os.Stdin); close(done) }()
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
		select {
		case <-done:
		case <-sig:
		}
	}
	if err := s.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "pgserve:", err)
	}
	os.Exit(code)
}
