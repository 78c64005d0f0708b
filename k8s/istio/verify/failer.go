package main

import (
	"fmt"
	"os"
	"sync"
)

// failer is the test.Failer Istio's harness reports to: a failure ends the process (exit 1)
// after the registered cleanups have run. Safe for concurrent use.
type failer struct {
	mu       sync.Mutex
	cleanups []func() // guarded by mu
}

func newFailer() *failer { return &failer{} }

func (f *failer) Fail()                             { f.Fatal("failed") }
func (f *failer) FailNow()                          { f.Fatal("failed") }
func (f *failer) Fatalf(format string, args ...any) { f.Fatal(fmt.Sprintf(format, args...)) }
func (f *failer) Skip(args ...any)                  { f.Fatal(append([]any{"skip requested: "}, args...)...) }
func (f *failer) Helper()                           {}
func (f *failer) Log(args ...any)                   { fmt.Fprintln(os.Stderr, args...) }
func (f *failer) Logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func (f *failer) TempDir() string {
	dir, err := os.MkdirTemp("", "istio-verify")
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func (f *failer) Fatal(args ...any) {
	fmt.Fprintln(os.Stderr, append([]any{"istio-verify: fatal:"}, args...)...)
	f.runCleanups()
	os.Exit(1)
}

func (f *failer) Cleanup(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cleanups = append(f.cleanups, fn)
}

// runCleanups runs the cleanups once, last registered first.
func (f *failer) runCleanups() {
	f.mu.Lock()
	fns := f.cleanups
	f.cleanups = nil
	f.mu.Unlock()
	for i := len(fns) - 1; i >= 0; i-- {
		fns[i]()
	}
}
