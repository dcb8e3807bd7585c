// Package fakediscord is a small Discord for tests and local trials: the REST
// endpoints briefbot uses and a websocket gateway (HELLO, IDENTIFY → READY,
// heartbeats, RESUME, dispatch), on a loopback port. It records every request
// the bot makes, can inject slash commands and button presses, and can fail
// calls on purpose (429 with retry_after, 5xx), ask for a reconnect (op 7) or
// drop the connection.
package fakediscord

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Request is one REST call the bot made.
type Request struct {
	Method string
	Path   string
	Body   []byte
	Status int // what the fake answered
}

// Failure makes the next matching calls fail.
type Failure struct {
	Status     int
	RetryAfter float64 // seconds, for 429
}

// Server is a running fake Discord.
type Server struct {
	URL      string // http://127.0.0.1:port
	AppID    string
	GuildID  string
	Token    string // the bot token it accepts (without "Bot ")
	BotUser  string
	srv      *httptest.Server
	upgrader websocket.Upgrader

	mu        sync.Mutex
	requests  []Request
	failures  map[string][]Failure // by path substring
	conns     map[*conn]bool
	identifys int
	resumes   int
	changed   chan struct{} // closed and replaced whenever something is recorded
	nextID    atomic.Int64
	messages  map[string][]byte // channel message bodies by message ID
	// posted are the messages in each channel, oldest first, as Discord keeps them.
	posted map[string][]map[string]interface{}
	onPost func(channel string, body []byte)
	// dms are the direct-message channels opened, by recipient.
	dms map[string]string
}

type conn struct {
	ws  *websocket.Conn
	mu  sync.Mutex
	seq int
}

func (c *conn) send(v interface{}) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.ws.WriteJSON(v)
}

func (c *conn) dispatch(t string, d interface{}) error {
	c.mu.Lock()
	c.seq++
	seq := c.seq
	c.mu.Unlock()
	return c.send(map[string]interface{}{"op": 0, "t": t, "s": seq, "d": d})
}

// Options configure a new fake.
type Options struct {
	Token string // default "fake-token-0000000000000000"
	// Addr to listen on; default a free loopback port.
	Addr string
	// OnPost, when set, is called with each message the bot creates in a channel.
	OnPost func(channel string, body []byte)
}

// Start runs a fake Discord on loopback.
func Start(opts Options) (*Server, error) {
	if opts.Token == "" {
		opts.Token = "fake-token-0000000000000000"
	}
	s := &Server{
		AppID: "100000000000000001", GuildID: "200000000000000002", BotUser: "300000000000000003",
		Token: opts.Token, failures: map[string][]Failure{}, conns: map[*conn]bool{},
		changed: make(chan struct{}), messages: map[string][]byte{}, posted: map[string][]map[string]interface{}{}, onPost: opts.OnPost,
		dms: map[string]string{},
	}
	s.nextID.Store(900000000000000000)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /gateway", s.gateway)
	mux.HandleFunc("GET /gateway/", s.gateway)
	mux.HandleFunc("/api/", s.rest)
	srv := httptest.NewUnstartedServer(mux)
	if opts.Addr != "" {
		l, err := net.Listen("tcp", opts.Addr)
		if err != nil {
			return nil, fmt.Errorf("listen on %s: %w", opts.Addr, err)
		}
		srv.Listener = l
	}
	// The address is known before the first request can arrive.
	s.srv = srv
	s.URL = "http://" + srv.Listener.Addr().String()
	srv.Start()
	return s, nil
}

// Close stops the fake.
func (s *Server) Close() {
	s.mu.Lock()
	for c := range s.conns {
		c.ws.Close()
	}
	s.mu.Unlock()
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// ID returns a fresh snowflake.
func (s *Server) ID() string { return strconv.FormatInt(s.nextID.Add(1), 10) }

func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// FailNext makes the next n calls whose path contains pathPart fail with f.
func (s *Server) FailNext(pathPart string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.failures[pathPart] = append(s.failures[pathPart], f)
	}
}

// Posted returns the messages in a channel, oldest first, as JSON objects.
func (s *Server) Posted(channel string) []map[string]interface{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]map[string]interface{}(nil), s.posted[channel]...)
}

// DirectChannel is the direct-message channel opened with user ("" when none).
func (s *Server) DirectChannel(user string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dms[user]
}

// Requests returns the REST calls so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// WaitFor waits until a recorded request matches, and returns it.
func (s *Server) WaitFor(timeout time.Duration, match func(Request) bool) (Request, error) {
	deadline := time.After(timeout)
	seen := 0
	for {
		s.mu.Lock()
		for ; seen < len(s.requests); seen++ {
			if r := s.requests[seen]; r.Status < 300 && match(r) {
				s.mu.Unlock()
				return r, nil
			}
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return Request{}, errors.New("timed out waiting for a matching request from the bot")
		}
	}
}

// Sessions counts gateway IDENTIFYs and RESUMEs so far.
func (s *Server) Sessions() (identifies, resumes int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.identifys, s.resumes
}

// WaitConnected waits until a bot has a ready gateway connection and at least
// n IDENTIFYs or RESUMEs have been answered.
func (s *Server) WaitConnected(timeout time.Duration, n int) error {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		ok := len(s.conns) > 0 && s.identifys+s.resumes >= n
		ch := s.changed
		s.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-deadline:
			return errors.New("timed out waiting for the bot to connect to the gateway")
		}
	}
}

func (s *Server) rest(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	path := r.URL.Path
	// A failure is decided before the call is routed: a failed call changes nothing.
	s.mu.Lock()
	var failure *Failure
	for part, fs := range s.failures {
		if strings.Contains(path, part) && len(fs) > 0 {
			failure = &fs[0]
			s.failures[part] = fs[1:]
			break
		}
	}
	s.mu.Unlock()
	var status int
	var resp interface{}
	switch {
	case failure == nil:
		status, resp = s.route(r.Method, path, body, r.Header.Get("Authorization"))
	case failure.Status == http.StatusTooManyRequests:
		status = failure.Status
		resp = map[string]interface{}{"message": "You are being rate limited.", "retry_after": failure.RetryAfter, "global": false}
		w.Header().Set("Retry-After", strconv.FormatFloat(failure.RetryAfter, 'f', 3, 64))
	default:
		status = failure.Status
		resp = map[string]interface{}{"message": failureMessage(failure.Status), "code": failureCode(failure.Status)}
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: path, Body: body, Status: status})
	s.notify()
	s.mu.Unlock()
	if parts := strings.Split(strings.Trim(path, "/"), "/"); s.onPost != nil && r.Method == "POST" && status == 200 &&
		len(parts) == 5 && parts[2] == "channels" && parts[4] == "messages" {
		s.onPost(parts[3], body)
	}
	if resp == nil {
		w.WriteHeader(status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

// failureMessage and failureCode are what Discord says for common refusals.
func failureMessage(status int) string {
	switch status {
	case http.StatusForbidden:
		return "Missing Permissions"
	case http.StatusNotFound:
		return "Unknown Channel"
	}
	return http.StatusText(status)
}

func failureCode(status int) int {
	switch status {
	case http.StatusForbidden:
		return 50013
	case http.StatusNotFound:
		return 10003
	}
	return 0
}

// route answers a REST call the way Discord would, for what briefbot uses.
func (s *Server) route(method, path string, body []byte, auth string) (int, interface{}) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) < 3 || parts[0] != "api" {
		return http.StatusNotFound, map[string]interface{}{"message": "404: Not Found", "code": 0}
	}
	p := parts[2:] // after api/v9
	isInteraction := len(p) >= 1 && (p[0] == "interactions" || p[0] == "webhooks")
	if !isInteraction && !(len(p) == 1 && p[0] == "gateway") && auth != "Bot "+s.Token {
		return http.StatusUnauthorized, map[string]interface{}{"message": "401: Unauthorized", "code": 0}
	}
	switch {
	case len(p) == 1 && p[0] == "gateway" && method == "GET":
		return 200, map[string]string{"url": strings.Replace(s.URL, "http", "ws", 1) + "/gateway"}
	case len(p) == 2 && p[0] == "gateway" && p[1] == "bot":
		return 200, map[string]interface{}{"url": strings.Replace(s.URL, "http", "ws", 1) + "/gateway", "shards": 1,
			"session_start_limit": map[string]int{"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}
	case p[0] == "applications" && method == "PUT" && p[len(p)-1] == "commands":
		var cmds []map[string]interface{}
		if err := json.Unmarshal(body, &cmds); err != nil {
			return 400, map[string]interface{}{"message": "Invalid Form Body", "code": 50035}
		}
		for _, c := range cmds {
			c["id"], c["application_id"], c["version"] = s.ID(), s.AppID, s.ID()
		}
		return 200, cmds
	case p[0] == "interactions" && len(p) == 4 && p[3] == "callback" && method == "POST":
		return http.StatusNoContent, nil
	case p[0] == "webhooks" && len(p) >= 3 && method == "PATCH":
		return 200, s.echoMessage(body)
	case p[0] == "webhooks" && len(p) == 3 && method == "POST":
		return 200, s.echoMessage(body)
	case p[0] == "channels" && len(p) == 3 && p[2] == "messages" && method == "POST":
		var req struct {
			Nonce        interface{} `json:"nonce"`
			EnforceNonce bool        `json:"enforce_nonce"`
		}
		json.Unmarshal(body, &req)
		s.mu.Lock()
		defer s.mu.Unlock()
		// With enforce_nonce, a nonce seen recently from the same author
		// returns the message already created instead of a second one.
		if req.EnforceNonce && req.Nonce != nil {
			for _, m := range s.posted[p[1]] {
				if fmt.Sprint(m["nonce"]) == fmt.Sprint(req.Nonce) {
					return 200, m
				}
			}
		}
		msg := s.echoMessage(body)
		msg["channel_id"] = p[1]
		s.messages[msg["id"].(string)] = body
		s.posted[p[1]] = append(s.posted[p[1]], msg)
		return 200, msg
	case p[0] == "channels" && len(p) == 3 && p[2] == "messages" && method == "GET":
		s.mu.Lock()
		defer s.mu.Unlock()
		all := s.posted[p[1]]
		out := []map[string]interface{}{}
		for i := len(all) - 1; i >= 0 && len(out) < 50; i-- {
			m := map[string]interface{}{}
			for k, v := range all[i] {
				if k != "nonce" { // Discord does not return nonces when listing
					m[k] = v
				}
			}
			out = append(out, m)
		}
		return 200, out
	case p[0] == "users" && len(p) == 3 && p[1] == "@me" && p[2] == "channels" && method == "POST":
		var req struct {
			Recipient string `json:"recipient_id"`
		}
		if json.Unmarshal(body, &req) != nil || req.Recipient == "" {
			return 400, map[string]interface{}{"message": "Invalid Form Body", "code": 50035}
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		// Discord returns the same channel each time for one recipient.
		id, ok := s.dms[req.Recipient]
		if !ok {
			id = s.ID()
			s.dms[req.Recipient] = id
		}
		return 200, map[string]interface{}{"id": id, "type": 1, "recipients": []map[string]interface{}{{"id": req.Recipient, "username": "member"}}}
	case p[0] == "users" && len(p) == 2 && p[1] == "@me":
		return 200, map[string]interface{}{"id": s.BotUser, "username": "briefbot", "discriminator": "0", "bot": true}
	}
	return http.StatusNotFound, map[string]interface{}{"message": "404: Not Found", "code": 0}
}

func (s *Server) echoMessage(body []byte) map[string]interface{} {
	msg := map[string]interface{}{}
	json.Unmarshal(body, &msg)
	msg["id"] = s.ID()
	msg["timestamp"] = time.Now().UTC().Format(time.RFC3339)
	msg["author"] = map[string]interface{}{"id": s.BotUser, "username": "briefbot", "bot": true}
	return msg
}

func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &conn{ws: ws}
	defer func() {
		s.mu.Lock()
		delete(s.conns, c)
		s.notify()
		s.mu.Unlock()
		ws.Close()
	}()
	if err := c.send(map[string]interface{}{"op": 10, "d": map[string]int{"heartbeat_interval": 41250}}); err != nil {
		return
	}
	for {
		_, data, err := ws.ReadMessage()
		if err != nil {
			return
		}
		var frame struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if json.Unmarshal(data, &frame) != nil {
			continue
		}
		switch frame.Op {
		case 1: // heartbeat
			c.send(map[string]interface{}{"op": 11})
		case 2, 6: // identify, resume
			var d struct {
				Token string `json:"token"`
			}
			json.Unmarshal(frame.D, &d)
			if strings.TrimPrefix(d.Token, "Bot ") != s.Token {
				c.mu.Lock()
				ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4004, "Authentication failed."), time.Now().Add(time.Second))
				c.mu.Unlock()
				return
			}
			// Registered before READY goes out: a bot that has READY can be sent events.
			s.mu.Lock()
			s.conns[c] = true
			s.mu.Unlock()
			if frame.Op == 2 {
				c.dispatch("READY", map[string]interface{}{
					"v": 9, "session_id": hex.EncodeToString(randomBytes(8)),
					"resume_gateway_url": strings.Replace(s.URL, "http", "ws", 1) + "/gateway",
					"user":               map[string]interface{}{"id": s.BotUser, "username": "briefbot", "discriminator": "0", "bot": true},
					"application":        map[string]interface{}{"id": s.AppID, "flags": 0},
					"guilds":             []interface{}{map[string]interface{}{"id": s.GuildID, "unavailable": true}},
				})
			} else {
				c.dispatch("RESUMED", map[string]interface{}{})
			}
			s.mu.Lock()
			if frame.Op == 2 {
				s.identifys++
			} else {
				s.resumes++
			}
			s.notify()
			s.mu.Unlock()
		}
	}
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func (s *Server) live() []*conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*conn
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// Dispatch sends an event to every connected bot.
func (s *Server) Dispatch(event string, data interface{}) error {
	conns := s.live()
	if len(conns) == 0 {
		return errors.New("no bot is connected to the gateway")
	}
	var firstErr error
	sent := 0
	for _, c := range conns {
		if err := c.dispatch(event, data); err != nil {
			firstErr = err // a connection that is going away
			continue
		}
		sent++
	}
	if sent == 0 {
		return firstErr
	}
	return nil
}

// Reconnect asks every connected bot to reconnect (op 7).
func (s *Server) Reconnect() {
	for _, c := range s.live() {
		c.send(map[string]interface{}{"op": 7, "d": nil})
	}
}

// Drop cuts every gateway connection without a close frame.
func (s *Server) Drop() {
	for _, c := range s.live() {
		c.ws.UnderlyingConn().Close()
	}
}

// Interaction is one interaction the fake sent.
type Interaction struct {
	ID, Token string
}

// User is who presses or types, in a guild channel.
type User struct {
	ID        string
	ChannelID string
	Roles     []string
	// Permissions is the member's permission bit set in the channel, as
	// Discord sends it (a decimal string); "" means all of them.
	Permissions string
}

// DefaultUser is a member of the fake guild.
var DefaultUser = User{ID: "400000000000000004", ChannelID: "500000000000000005"}

func (s *Server) interaction(typ int, data interface{}, u User, message interface{}) (Interaction, error) {
	if u.ID == "" {
		u = DefaultUser
	}
	in := Interaction{ID: s.ID(), Token: "itoken-" + hex.EncodeToString(randomBytes(8))}
	roles := u.Roles
	if roles == nil {
		roles = []string{}
	}
	perms := u.Permissions
	if perms == "" {
		perms = "2147483647" // every permission, as the server's owner has
	}
	d := map[string]interface{}{
		"id": in.ID, "application_id": s.AppID, "type": typ, "data": data, "guild_id": s.GuildID,
		"channel_id": u.ChannelID, "token": in.Token, "version": 1, "locale": "en-US",
		"member": map[string]interface{}{"user": map[string]interface{}{"id": u.ID, "username": "user" + u.ID[len(u.ID)-2:], "discriminator": "0"},
			"roles": roles, "joined_at": "2024-01-01T00:00:00Z", "permissions": perms},
	}
	if message != nil {
		d["message"] = message
	}
	return in, s.Dispatch("INTERACTION_CREATE", d)
}

// Command sends a slash command, such as Command("stance", map{"topic": "Ukraine"}, DefaultUser).
func (s *Server) Command(name string, options map[string]string, u User) (Interaction, error) {
	return s.interaction(2, map[string]interface{}{"id": s.ID(), "name": name, "type": 1, "options": stringOptions(options, "")}, u, nil)
}

// Subcommand sends a slash command's subcommand, such as
// Subcommand("digest", "subscribe", map{"time": "08:00"}, user).
func (s *Server) Subcommand(name, sub string, options map[string]string, u User) (Interaction, error) {
	opts := []map[string]interface{}{{"name": sub, "type": 1, "options": stringOptions(options, "")}}
	return s.interaction(2, map[string]interface{}{"id": s.ID(), "name": name, "type": 1, "options": opts}, u, nil)
}

// Option is a command option of any type: Discord sends channels (7) and
// roles (8) as snowflake strings, integers (4) as numbers.
type Option struct {
	Name  string
	Type  int
	Value interface{}
}

// CommandOptions sends a slash command with typed options.
func (s *Server) CommandOptions(name string, options []Option, u User) (Interaction, error) {
	opts := []map[string]interface{}{}
	for _, o := range options {
		opts = append(opts, map[string]interface{}{"name": o.Name, "type": o.Type, "value": o.Value})
	}
	return s.interaction(2, map[string]interface{}{"id": s.ID(), "name": name, "type": 1, "options": opts}, u, nil)
}

// SubcommandOptions sends a subcommand with typed options.
func (s *Server) SubcommandOptions(name, sub string, options []Option, u User) (Interaction, error) {
	opts := []map[string]interface{}{}
	for _, o := range options {
		opts = append(opts, map[string]interface{}{"name": o.Name, "type": o.Type, "value": o.Value})
	}
	data := []map[string]interface{}{{"name": sub, "type": 1, "options": opts}}
	return s.interaction(2, map[string]interface{}{"id": s.ID(), "name": name, "type": 1, "options": data}, u, nil)
}

// Autocomplete sends an autocomplete request with the focused option's text.
func (s *Server) Autocomplete(name string, options map[string]string, focused string, u User) (Interaction, error) {
	return s.interaction(4, map[string]interface{}{"id": s.ID(), "name": name, "type": 1, "options": stringOptions(options, focused)}, u, nil)
}

// SubcommandAutocomplete sends an autocomplete request for an option of a subcommand.
func (s *Server) SubcommandAutocomplete(name, sub string, options map[string]string, focused string, u User) (Interaction, error) {
	opts := []map[string]interface{}{{"name": sub, "type": 1, "options": stringOptions(options, focused)}}
	return s.interaction(4, map[string]interface{}{"id": s.ID(), "name": name, "type": 1, "options": opts}, u, nil)
}

// botMessage is a message the bot sent in u's channel, which a component sits on.
func (s *Server) botMessage(u User) map[string]interface{} {
	channel := u.ChannelID
	if u.ID == "" {
		channel = DefaultUser.ChannelID
	}
	return map[string]interface{}{"id": s.ID(), "channel_id": channel, "content": "", "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": map[string]interface{}{"id": s.BotUser, "username": "briefbot"}}
}

// Press sends a button press on a message the bot sent.
func (s *Server) Press(customID string, u User) (Interaction, error) {
	return s.interaction(3, map[string]interface{}{"custom_id": customID, "component_type": 2}, u, s.botMessage(u))
}

// MessageCommand sends a message context-menu command ("Apps → …") on a
// message with the given text, as Discord resolves it for the app.
func (s *Server) MessageCommand(name, text string, u User) (Interaction, error) {
	target := s.ID()
	channel := u.ChannelID
	if u.ID == "" {
		channel = DefaultUser.ChannelID
	}
	msg := map[string]interface{}{"id": target, "channel_id": channel, "content": text, "timestamp": time.Now().UTC().Format(time.RFC3339),
		"author": map[string]interface{}{"id": "400000000000000999", "username": "colleague"}, "embeds": []interface{}{}, "attachments": []interface{}{}}
	return s.interaction(2, map[string]interface{}{"id": s.ID(), "name": name, "type": 3, "target_id": target,
		"resolved": map[string]interface{}{"messages": map[string]interface{}{target: msg}}}, u, nil)
}

// SubmitModal sends a form the bot opened, with its text inputs' values.
func (s *Server) SubmitModal(customID string, values map[string]string, u User) (Interaction, error) {
	rows := []map[string]interface{}{}
	for id, v := range values {
		rows = append(rows, map[string]interface{}{"type": 1, "components": []map[string]interface{}{{"type": 4, "custom_id": id, "value": v}}})
	}
	return s.interaction(5, map[string]interface{}{"custom_id": customID, "components": rows}, u, nil)
}

// Select sends a choice in a string select menu on a message the bot sent.
func (s *Server) Select(customID string, values []string, u User) (Interaction, error) {
	return s.interaction(3, map[string]interface{}{"custom_id": customID, "component_type": 3, "values": values}, u, s.botMessage(u))
}

func stringOptions(options map[string]string, focused string) []map[string]interface{} {
	out := []map[string]interface{}{}
	for k, v := range options {
		o := map[string]interface{}{"name": k, "type": 3, "value": v}
		if k == focused {
			o["focused"] = true
		}
		out = append(out, o)
	}
	return out
}

// Callback waits for the bot's response to an interaction and returns its body.
func (s *Server) Callback(in Interaction, timeout time.Duration) ([]byte, error) {
	r, err := s.WaitFor(timeout, func(r Request) bool {
		return r.Method == "POST" && strings.Contains(r.Path, "/interactions/"+in.ID+"/"+in.Token+"/callback")
	})
	return r.Body, err
}

// Edit waits for the bot's edit of its deferred response to an interaction.
func (s *Server) Edit(in Interaction, timeout time.Duration) ([]byte, error) {
	r, err := s.WaitFor(timeout, func(r Request) bool {
		return r.Method == "PATCH" && strings.Contains(r.Path, "/webhooks/"+s.AppID+"/"+in.Token+"/messages/@original")
	})
	return r.Body, err
}
