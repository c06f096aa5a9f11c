package static

import (
	"errors"
	"fmt"
	"strconv"
)

// ParseError is one problem found in a topology file. Its text has the
// compiler-like shape "file:line: message" so editors can jump to it.
type ParseError struct {
	File string
	Line int // 1-based; 0 when the problem is not tied to one line
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Err.Error()
	}
	return e.File + ": " + e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// maxErrors bounds how many problems one parse reports: enough to fix a file
// in one pass, not so many that a wrong format floods the log.
const maxErrors = 20

// errList collects the problems of one file, so an operator sees all of them
// at once instead of fixing one per restart.
type errList struct {
	file    string
	errs    []error
	dropped int
}

func (l *errList) add(line int, format string, args ...any) {
	if len(l.errs) >= maxErrors {
		l.dropped++
		return
	}
	l.errs = append(l.errs, &ParseError{File: l.file, Line: line, Err: fmt.Errorf(format, args...)})
}

func (l *errList) failed() bool { return len(l.errs) > 0 }

// err returns the collected problems joined, or nil.
func (l *errList) err() error {
	if l.dropped > 0 {
		return errors.Join(append(l.errs, fmt.Errorf("%s: %d more problems not shown", l.file, l.dropped))...)
	}
	return errors.Join(l.errs...)
}

// parseErr returns a single ParseError.
func parseErr(file string, line int, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}
