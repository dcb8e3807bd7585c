package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
)

// ManifestSum sums files with their content hashes regardless of order:
// the XOR of each pair's SHA-256, and their number. An index keeps the
// manifest of the files it holds, so that a listing with the same one says
// it is current without comparing every article. A file of unknown state
// (an empty hash) makes no manifest, so that it never passes for current;
// a file added twice makes the count differ from a listing's.
type ManifestSum struct {
	n       int
	unknown bool
	sum     [sha256.Size]byte
	h       hash.Hash
	buf     []byte
}

// Add counts one file.
func (s *ManifestSum) Add(name, contentHash string) {
	if contentHash == "" {
		s.unknown = true
		return
	}
	if s.h == nil {
		s.h = sha256.New()
	}
	s.h.Reset()
	s.h.Write([]byte(name))
	s.h.Write([]byte{0})
	s.h.Write([]byte(contentHash))
	s.buf = s.h.Sum(s.buf[:0])
	for i := range s.sum {
		s.sum[i] ^= s.buf[i]
	}
	s.n++
}

// String is the manifest ("" when a file's state is unknown).
func (s *ManifestSum) String() string {
	if s.unknown {
		return ""
	}
	return strconv.Itoa(s.n) + ":" + hex.EncodeToString(s.sum[:])
}

// Manifest sums files (name → content hash).
func Manifest(files map[string]string) string {
	var sum ManifestSum
	for name, h := range files {
		sum.Add(name, h)
	}
	return sum.String()
}

// Manifest is the listing's manifest: kept from the stat cache when the
// folder is as the cache says, else summed.
func (l *Listing) Manifest() string {
	if l.manifest == "" {
		l.manifest = Manifest(l.Hashes)
	}
	return l.manifest
}
