package serve

import (
	"bytes"
	"container/list"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
)

// Defaults of the reply buffer and cache.
const (
	DefaultCacheBytes = 64 << 20  // replies kept for repeated requests
	MaxReplyBytes     = 256 << 20 // one reply, computed before it is sent
)

// headerWriter is what a reply is rendered to: a header and a body.
type headerWriter interface {
	Header() http.Header
	Write([]byte) (int, error)
}

// reply is a response computed in full before any of it is sent, so that
// a failure half-way still gets its error envelope (and a status the
// client can trust), and so that it can be shared and cached.
type reply struct {
	header http.Header
	body   bytes.Buffer
}

func newReply() *reply { return &reply{header: http.Header{}} }

func (p *reply) Header() http.Header { return p.header }

func (p *reply) Write(b []byte) (int, error) {
	if p.body.Len()+len(b) > MaxReplyBytes {
		return 0, &Error{Type: ErrTooLarge, Err: fmt.Errorf("the reply passes %d MiB: ask for fewer rows (limit) or columns", MaxReplyBytes>>20)}
	}
	return p.body.Write(b)
}

// send writes the reply to w.
func (p *reply) send(w http.ResponseWriter) error {
	h := w.Header()
	for k, v := range p.header {
		h[k] = v
	}
	h.Set("Content-Length", strconv.Itoa(p.body.Len()))
	_, err := w.Write(p.body.Bytes())
	return err
}

// replyCache keeps recent replies by key (the ETag: the files' version,
// the path and the query), least recently used first out, within a byte
// budget. A file that changes changes the keys, so a kept reply is never
// served for data it was not computed from.
type replyCache struct {
	mu       sync.Mutex
	max      int
	size     int
	ll       *list.List
	entries  map[string]*list.Element
	hits     int64
	computed int64
}

type cacheEntry struct {
	key string
	r   *reply
}

func newReplyCache(max int) *replyCache {
	return &replyCache{max: max, ll: list.New(), entries: map[string]*list.Element{}}
}

func (c *replyCache) get(key string) (*reply, bool) {
	if c.max <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	c.hits++
	return e.Value.(*cacheEntry).r, true
}

// put keeps r unless it is larger than an eighth of the budget.
func (c *replyCache) put(key string, r *reply) {
	if c.max <= 0 || r.body.Len() > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = c.ll.PushFront(&cacheEntry{key, r})
	c.size += r.body.Len()
	for c.size > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		ent := old.Value.(*cacheEntry)
		delete(c.entries, ent.key)
		c.size -= ent.r.body.Len()
	}
}

// answer sends the reply to r: from the cache, or computed by compute
// once for every request asking the same thing at the same time
// (singleflight). The computation holds a computing slot, has the
// server's timeout, and goes on when the first client leaves while others
// wait; a client whose own time runs out gets its timeout error.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, sn snapshot, compute func(ctx context.Context, out headerWriter) error) error {
	key := sn.etag(r)
	if p, ok := s.cache.get(key); ok {
		return p.send(w)
	}
	ch := s.flight.DoChan(key, func() (any, error) {
		if !s.startComputing() {
			return nil, &Error{Type: ErrUnavailable, Err: fmt.Errorf("the server is stopping")}
		}
		defer s.computing.Done()
		ctx, cancel := context.WithTimeout(s.base, s.opts.Timeout)
		defer cancel()
		release, err := s.acquire(ctx)
		if err != nil {
			return nil, err
		}
		defer release()
		p := newReply()
		if err := compute(ctx, p); err != nil {
			return nil, s.classify(ctx, err)
		}
		s.cache.mu.Lock()
		s.cache.computed++
		s.cache.mu.Unlock()
		s.cache.put(key, p)
		return p, nil
	})
	select {
	case res := <-ch:
		if res.Err != nil {
			return res.Err
		}
		return res.Val.(*reply).send(w)
	case <-r.Context().Done():
		return r.Context().Err()
	}
}
