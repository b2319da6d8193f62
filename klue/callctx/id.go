package callctx

import (
	"crypto/rand"
	"sync"
)

// idBatch is the number of IDs' worth of random bytes read at once: a read
// from the kernel costs as much as formatting a few IDs.
const idBatch = 32

// randomBytes hands out random bytes read from crypto/rand in batches.
// Every byte is used once.
type randomBytes struct {
	buf  [16 * idBatch]byte
	next int
}

var randomPool = sync.Pool{New: func() any { return &randomBytes{next: 16 * idBatch} }}

// NewID returns a new call ID: a random UUID v4, in its canonical textual
// form, from crypto/rand.
func NewID() string {
	rb := randomPool.Get().(*randomBytes)
	if rb.next == len(rb.buf) {
		if _, err := rand.Read(rb.buf[:]); err != nil {
			// crypto/rand does not fail on supported platforms.
			panic("callctx: reading random bytes: " + err.Error())
		}
		rb.next = 0
	}
	var u [16]byte
	copy(u[:], rb.buf[rb.next:rb.next+16])
	clear(rb.buf[rb.next : rb.next+16])
	rb.next += 16
	randomPool.Put(rb)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // variant 10
	const hex = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hex[b>>4], hex[b&0x0f]
		j += 2
	}
	return string(out[:])
}
