package digest

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Subscription is one channel's digest and where it stands.
type Subscription struct {
	Channel  string `json:"channel"`
	Schedule string `json:"schedule"`  // cron expression
	TimeZone string `json:"time_zone"` // IANA name
	Active   bool   `json:"active"`
	// Source is "env" (DIGEST_CHANNEL_ID) or "command" (/digest subscribe).
	Source string `json:"source"`
	By     string `json:"by,omitempty"` // who subscribed it
	// Since is where the next digest starts: articles ingested after it
	// have not been in a digest of this channel.
	Since   time.Time `json:"since"`
	NextDue time.Time `json:"next_due"`
	// RetryAt, when set, is when a digest that failed for a passing reason
	// is tried again.
	RetryAt      time.Time `json:"retry_at,omitempty"`
	LastPosted   time.Time `json:"last_posted,omitempty"`
	LastMessages []string  `json:"last_messages,omitempty"`
	LastArticles int       `json:"last_articles"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitempty"`
}

// Intent is a digest being posted: recorded before the first message goes
// out, so that a restart finishes it rather than posting it again.
type Intent struct {
	Due      time.Time `json:"due"`
	Since    time.Time `json:"since"`
	Until    time.Time `json:"until"`
	Articles int       `json:"articles"`
	Parts    []Part    `json:"parts"`
	Created  time.Time `json:"created"`
}

// Part is one message of a digest.
type Part struct {
	Nonce     string          `json:"nonce"`
	Label     string          `json:"label"` // the unique first line, to find it again
	Body      json.RawMessage `json:"body"`
	MessageID string          `json:"message_id,omitempty"`
}

// Store keeps subscriptions and intents in a bbolt file: every change is
// one durable transaction. Only one process can open it.
type Store struct {
	db   *bolt.DB
	path string
}

var (
	bucketSubs    = []byte("subscriptions")
	bucketIntents = []byte("intents")
	// bucketButtons keeps the questions of answers whose buttons cannot
	// carry them (Discord's custom IDs hold 100 characters).
	bucketButtons = []byte("buttons")
)

// ErrLocked means another process has the store open.
var ErrLocked = errors.New("another briefbot is using this data folder")

// OpenStore opens (or creates) the store at path.
func OpenStore(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("open %s: %w (two bots on one data folder would post every digest twice)", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open digest state %s: %w (if the file is damaged, move it aside: subscriptions set with /digest are then lost, DIGEST_CHANNEL_ID is subscribed again)", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketSubs, bucketIntents, bucketButtons} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare digest state %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Close releases the file.
func (s *Store) Close() error { return s.db.Close() }

// Subscriptions lists every channel's subscription, active or not.
func (s *Store) Subscriptions() ([]Subscription, error) {
	var out []Subscription
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketSubs).ForEach(func(_, v []byte) error {
			var sub Subscription
			if err := json.Unmarshal(v, &sub); err != nil {
				return err
			}
			out = append(out, sub)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read subscriptions from %s: %w", s.path, err)
	}
	return out, nil
}

// Subscription reads one channel's subscription.
func (s *Store) Subscription(channel string) (Subscription, bool, error) {
	var sub Subscription
	found := false
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSubs).Get([]byte(channel))
		if v == nil {
			return nil
		}
		found = true
		return json.Unmarshal(v, &sub)
	})
	if err != nil {
		return sub, false, fmt.Errorf("read subscription %s: %w", channel, err)
	}
	return sub, found, nil
}

// Intent reads a channel's unfinished digest, or nil.
func (s *Store) Intent(channel string) (*Intent, error) {
	var in *Intent
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketIntents).Get([]byte(channel))
		if v == nil {
			return nil
		}
		in = &Intent{}
		return json.Unmarshal(v, in)
	})
	if err != nil {
		return nil, fmt.Errorf("read digest intent %s: %w", channel, err)
	}
	return in, nil
}

// Save writes a subscription and the channel's intent in one transaction;
// a nil intent deletes it.
func (s *Store) Save(sub Subscription, in *Intent) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		v, err := json.Marshal(sub)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketSubs).Put([]byte(sub.Channel), v); err != nil {
			return err
		}
		intents := tx.Bucket(bucketIntents)
		if in == nil {
			return intents.Delete([]byte(sub.Channel))
		}
		iv, err := json.Marshal(in)
		if err != nil {
			return err
		}
		return intents.Put([]byte(sub.Channel), iv)
	})
	if err != nil {
		return fmt.Errorf("save digest state of %s: %w", sub.Channel, err)
	}
	return nil
}

// PutButton keeps a button's state under key.
func (s *Store) PutButton(key string, state []byte) error {
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketButtons).Put([]byte(key), state) })
	if err != nil {
		return fmt.Errorf("save button state: %w", err)
	}
	return nil
}

// Button reads the state kept under key; ok is false when there is none.
func (s *Store) Button(key string) (state []byte, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketButtons).Get([]byte(key)); v != nil {
			state, ok = append([]byte(nil), v...), true
		}
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("read button state: %w", err)
	}
	return state, ok, nil
}

// Record is one keyed value that another service (the watches) keeps in
// this file, so that one lock and one file hold all of the bot's state.
type Record struct {
	Key   string
	Value []byte
}

// Records lists a bucket's records in key order (none when it does not exist).
func (s *Store) Records(bucket string) ([]Record, error) {
	var out []Record
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			out = append(out, Record{Key: string(k), Value: append([]byte(nil), v...)})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read %s from %s: %w", bucket, s.path, err)
	}
	return out, nil
}

// Write puts and deletes records of a bucket in one durable transaction.
func (s *Store) Write(bucket string, put []Record, del []string) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		for _, r := range put {
			if err := b.Put([]byte(r.Key), r.Value); err != nil {
				return err
			}
		}
		for _, k := range del {
			if err := b.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save %s in %s: %w", bucket, s.path, err)
	}
	return nil
}

// Sequence returns the next number of a bucket's sequence (1, 2, …),
// durably: a number is never handed out twice, even after a restart.
func (s *Store) Sequence(bucket string) (uint64, error) {
	var n uint64
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		n, err = b.NextSequence()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("number a record of %s in %s: %w", bucket, s.path, err)
	}
	return n, nil
}
