package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// ErrorType is the errorType of the JSON error envelope, as Prometheus's
// HTTP API names its kinds of failure.
type ErrorType string

// The kinds of error a request can meet.
const (
	ErrBadData     ErrorType = "bad_data"    // a parameter the server cannot use: 400
	ErrNotFound    ErrorType = "not_found"   // no such endpoint: 404
	ErrMethod      ErrorType = "bad_method"  // not GET or HEAD: 405
	ErrTooLarge    ErrorType = "too_large"   // a query string past the cap: 414
	ErrTimeout     ErrorType = "timeout"     // the request's time ran out: 503
	ErrUnavailable ErrorType = "unavailable" // too many requests at once, or a dataset gone: 503
	ErrCanceled    ErrorType = "canceled"    // the client went away or the server is stopping
	ErrExecution   ErrorType = "execution"   // the data could not be read (a damaged file): 500
	ErrInternal    ErrorType = "internal"    // anything else: 500
)

// Error is what a handler returns when a request fails: its kind, the
// parameter at fault (for bad_data), and the cause. Every Error reaches the
// client as one JSON envelope,
//
//	{"status":"error","errorType":"bad_data","error":"where: unknown column \"x\""}
type Error struct {
	Type  ErrorType
	Param string // the query parameter at fault, "" when none
	Err   error
}

func (e *Error) Error() string {
	if e.Param != "" {
		return e.Param + ": " + e.Err.Error()
	}
	return e.Err.Error()
}

func (e *Error) Unwrap() error { return e.Err }

// badParam is the error of query parameter param.
func badParam(param, format string, args ...any) *Error {
	return &Error{Type: ErrBadData, Param: param, Err: fmt.Errorf(format, args...)}
}

// Status is the HTTP status of the error's kind.
func (e *Error) Status() int {
	switch e.Type {
	case ErrBadData:
		return http.StatusBadRequest
	case ErrNotFound:
		return http.StatusNotFound
	case ErrMethod:
		return http.StatusMethodNotAllowed
	case ErrTooLarge:
		return http.StatusRequestURITooLong
	case ErrTimeout, ErrUnavailable:
		return http.StatusServiceUnavailable
	case ErrCanceled:
		return 499 // nginx's "client closed request": only the log sees it
	}
	return http.StatusInternalServerError
}

// envelope is the body of every error response.
type envelope struct {
	Status    string    `json:"status"`
	ErrorType ErrorType `json:"errorType"`
	Error     string    `json:"error"`
}

// asError makes any error an *Error: context errors become timeout or
// canceled, the rest internal.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Type: ErrInternal, Err: err}
}

// writeError sends the envelope of err with its status.
func writeError(w http.ResponseWriter, err error) {
	e := asError(err)
	h := w.Header()
	for _, k := range []string{"ETag", "Last-Modified", "Content-Disposition", "Link", "Content-Encoding"} {
		h.Del(k)
	}
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	if e.Status() == http.StatusServiceUnavailable {
		h.Set("Retry-After", "1")
	}
	w.WriteHeader(e.Status())
	b, _ := json.Marshal(envelope{Status: "error", ErrorType: e.Type, Error: e.Error()})
	w.Write(append(b, '\n'))
}
