// Package bot is briefbot in Discord: slash commands over the gateway with
// discordgo, answered from the briefing engine as embeds within Discord's limits.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/briefbot/briefbot/brief"
)

// Briefer answers questions; *brief.Engine is one.
type Briefer interface {
	Stance(ctx context.Context, q brief.StanceQuery, p brief.Page) (*brief.Answer, error)
	Timeline(ctx context.Context, topic, from, to string, p brief.Page) (*brief.Answer, error)
	Quote(ctx context.Context, speaker, topic string, p brief.Page) (*brief.Answer, error)
	Search(ctx context.Context, text string, p brief.Page) (*brief.Answer, error)
	Source(ctx context.Context, article string, p brief.Page) (*brief.Answer, error)
	Context(ctx context.Context, article string, paragraph int) (*brief.Answer, error)
	BriefOn(ctx context.Context, text string) (*brief.Briefing, error)
	Suggest(kind, typed string) []brief.Choice
	Examples() brief.Examples
}

// Settings are the bot's choices, from configuration.
type Settings struct {
	Token           string
	AppID           string // empty: from READY
	GuildID         string // empty: global commands
	AllowedChannels []string
	AllowedRoles    []string
	RateBurst       int
	RateEvery       time.Duration
	// AdminRoles may use /ingest and change digests, beside members with
	// the Manage Server or Administrator permission.
	AdminRoles []string
}

// Deps are what the bot uses from outside, passed in.
type Deps struct {
	HTTPClient *http.Client // every REST call goes through it
	Logger     *slog.Logger
	Now        func() time.Time
	// AckAfter is how long an answer may take before the bot defers the
	// interaction (Discord allows 3 seconds for the first response).
	AckAfter time.Duration
	// PageSize is how many items a page shows.
	PageSize int
	// RetryAfter is the first wait before connecting again when Discord does
	// not answer (default 1s; it doubles up to a minute).
	RetryAfter time.Duration
	// Observer, when set, is told of every command and every failed Discord call.
	Observer Observer
	// Ingester and Digests, when set, add the /ingest and /digest commands.
	Ingester Ingester
	Digests  Digests
	// Watches, when set, adds the /watch command.
	Watches Watches
	// Corrections, when set, lets members report wrong items and admins
	// review the reports (/corrections).
	Corrections Corrections
	// Buttons keeps the questions too long for a button's custom ID, so that
	// their paging survives a restart; without it they are kept in memory.
	Buttons ButtonStore
}

// ButtonStore keeps button state by key; *digest.Store is one.
type ButtonStore interface {
	PutButton(key string, state []byte) error
	Button(key string) ([]byte, bool, error)
}

// memoryButtons is the ButtonStore of a bot without a data folder.
type memoryButtons struct{ m sync.Map }

func (s *memoryButtons) PutButton(key string, state []byte) error {
	s.m.Store(key, state)
	return nil
}

func (s *memoryButtons) Button(key string) ([]byte, bool, error) {
	v, ok := s.m.Load(key)
	if !ok {
		return nil, false, nil
	}
	return v.([]byte), true, nil
}

// Observer receives what the bot does, for metrics.
type Observer interface {
	Command(name, outcome string, took time.Duration)
	DiscordError(status int)
}

type noObserver struct{}

func (noObserver) Command(string, string, time.Duration) {}
func (noObserver) DiscordError(int)                      {}

// Bot serves slash commands until its context ends.
type Bot struct {
	cfg     Settings
	deps    Deps
	brief   Briefer
	limiter *limiter
	session *discordgo.Session
	appID   atomic.Value // string
	ready   chan struct{}
	once    sync.Once

	// closing and inflight change together under gate, so that no
	// interaction starts after drain began waiting.
	gate     sync.RWMutex
	closing  atomic.Bool
	inflight sync.WaitGroup
	// connected is true while the gateway session is up (or, in HTTP mode,
	// while the interactions endpoint serves).
	connected atomic.Bool
	// direct holds, by interaction ID, where the first response goes when the
	// interaction came over HTTP: into the HTTP reply, not a REST call.
	direct sync.Map
	// seen is the interaction IDs that came over HTTP lately.
	seen seenIDs
	// notReady says why the bot is not connected yet ("" once it is).
	notReady atomic.Value // string
}

// Ready says whether the bot can take interactions now.
func (b *Bot) Ready() bool { return b.connected.Load() && !b.closing.Load() }

// WaitConnected waits until the bot has first connected (and can post to
// channels); it says false when ctx ended first.
func (b *Bot) WaitConnected(ctx context.Context) bool {
	select {
	case <-b.ready:
		return true
	case <-ctx.Done():
		return false
	}
}

// New prepares a bot; Run connects it.
func New(cfg Settings, b Briefer, deps Deps) *Bot {
	if deps.Logger == nil {
		deps.Logger = slog.Default()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.AckAfter <= 0 {
		deps.AckAfter = 2 * time.Second
	}
	if deps.PageSize <= 0 {
		deps.PageSize = brief.DefaultLimit
	}
	if deps.RetryAfter <= 0 {
		deps.RetryAfter = time.Second
	}
	if deps.Observer == nil {
		deps.Observer = noObserver{}
	}
	if deps.HTTPClient == nil {
		deps.HTTPClient = &http.Client{Timeout: 20 * time.Second}
	}
	if deps.Buttons == nil {
		deps.Buttons = &memoryButtons{}
	}
	if cfg.RateBurst <= 0 {
		cfg.RateBurst, cfg.RateEvery = 5, 12*time.Second
	}
	bot := &Bot{cfg: cfg, deps: deps, brief: b, ready: make(chan struct{}),
		limiter: newLimiter(cfg.RateBurst, cfg.RateEvery)}
	bot.appID.Store(cfg.AppID)
	return bot
}

// ErrAuth means Discord refused the token.
var ErrAuth = errors.New("discord refused the bot token (DISCORD_TOKEN): check it in the developer portal")

// Run connects to the gateway, registers the commands and answers
// interactions until ctx ends; then it stops taking interactions, lets the
// ones in flight finish and closes the connection.
func (b *Bot) Run(ctx context.Context) error {
	s, err := b.newSession()
	if err != nil {
		return err
	}
	s.AddHandler(b.onReady)
	s.AddHandler(func(*discordgo.Session, *discordgo.Resumed) { b.connected.Store(true) })
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) { b.connected.Store(false) })
	s.AddHandler(b.onInteraction)

	if err := b.retrying(ctx, "connect to the Discord gateway", s.Open); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}
	defer func() {
		if err := s.Close(); err != nil {
			b.deps.Logger.Warn("close gateway", "err", err)
		}
	}()
	select {
	case <-b.ready:
	case <-ctx.Done():
		return nil
	case <-time.After(30 * time.Second):
		return errors.New("the Discord gateway sent no READY within 30s")
	}
	if err := b.retrying(ctx, "register slash commands", b.register); err != nil || ctx.Err() != nil {
		return err
	}
	b.notReady.Store("")
	b.deps.Logger.Info("briefbot is answering", "app", b.appID.Load(), "guild", b.cfg.GuildID)
	<-ctx.Done()
	b.drain()
	return nil
}

// NotReady says why the bot cannot take interactions yet ("" when it can).
func (b *Bot) NotReady() string {
	if b.Ready() {
		return ""
	}
	if why, _ := b.notReady.Load().(string); why != "" {
		return why
	}
	if b.closing.Load() {
		return "stopping"
	}
	return "not connected to Discord"
}

// lastRetry is the longest wait between tries to reach Discord.
const lastRetry = time.Minute

// retrying runs step until it succeeds, waiting longer after each failure
// that may pass (Discord or a proxy not answering yet, a server error); a
// refused token or a refused request ends it. It returns nil when ctx ends.
func (b *Bot) retrying(ctx context.Context, what string, step func() error) error {
	wait := b.deps.RetryAfter
	for {
		err := step()
		switch {
		case err == nil:
			return nil
		case isAuthFailure(err):
			return ErrAuth
		case !passing(err):
			return fmt.Errorf("%s: %s", what, restReason(err))
		}
		why := fmt.Sprintf("could not %s (%s); trying again in %s", what, restReason(err), wait)
		b.notReady.Store(why)
		b.deps.Logger.Warn(why)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
		wait = min(2*wait, lastRetry)
	}
}

// permanent is a failure that trying again cannot mend.
type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// passing: a failure that may go away by itself (no answer, a server
// error, a rate limit), unlike a request Discord refused.
func passing(err error) bool {
	var p permanent
	if errors.As(err, &p) {
		return false
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode >= 500 || re.Response.StatusCode == http.StatusTooManyRequests
	}
	return true
}

func (b *Bot) newSession() (*discordgo.Session, error) {
	s, err := discordgo.New("Bot " + b.cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("create Discord session: %w", err)
	}
	s.Client = b.deps.HTTPClient
	s.Identify.Intents = discordgo.IntentsGuilds
	s.LogLevel = discordgo.LogWarning
	b.session = s
	return s, nil
}

// drain stops taking interactions and waits for those in flight.
func (b *Bot) drain() {
	b.gate.Lock()
	b.closing.Store(true)
	b.gate.Unlock()
	done := make(chan struct{})
	go func() { b.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		b.deps.Logger.Warn("stopped waiting for interactions still in flight")
	}
	b.deps.Logger.Info("briefbot stopped")
}

// isAuthFailure: the gateway closed with 4004 or REST said 401.
func isAuthFailure(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "4004") || strings.Contains(msg, "Authentication failed") || errors.Is(err, discordgo.ErrUnauthorized)
}

func (b *Bot) onReady(s *discordgo.Session, r *discordgo.Ready) {
	if b.appID.Load().(string) == "" && r.Application != nil {
		b.appID.Store(r.Application.ID)
	}
	b.connected.Store(true)
	b.once.Do(func() { close(b.ready) })
}

// register replaces the application's commands with ours in one call.
func (b *Bot) register() error {
	appID := b.appID.Load().(string)
	if appID == "" {
		return permanent{errors.New("no application ID: set DISCORD_APP_ID (READY did not carry one)")}
	}
	if _, err := b.session.ApplicationCommandBulkOverwrite(appID, b.cfg.GuildID, Commands(b.features())); err != nil {
		return err
	}
	return nil
}

// onInteraction answers one interaction; a panic is logged and answered
// with an apology, and the bot keeps running.
func (b *Bot) onInteraction(s *discordgo.Session, ic *discordgo.InteractionCreate) {
	b.gate.RLock()
	if b.closing.Load() {
		b.gate.RUnlock()
		b.sendError(ic.Interaction, "briefbot is restarting; try again in a moment.")
		return
	}
	b.inflight.Add(1)
	b.gate.RUnlock()
	defer b.inflight.Done()
	start := b.deps.Now()
	name := interactionName(ic.Interaction)
	defer func() {
		if r := recover(); r != nil {
			b.deps.Logger.Error("handler panicked", "command", name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			b.sendError(ic.Interaction, "Something went wrong answering that. It has been logged; please try again or rephrase.")
		}
	}()
	outcome := b.handle(ic.Interaction)
	took := b.deps.Now().Sub(start)
	b.deps.Observer.Command(name, outcome, took)
	b.deps.Logger.Info("interaction", "command", name, "outcome", outcome, "user", userID(ic.Interaction), "ms", took.Milliseconds())
}

func (b *Bot) handle(i *discordgo.Interaction) string {
	switch i.Type {
	case discordgo.InteractionApplicationCommandAutocomplete:
		return b.autocomplete(i)
	case discordgo.InteractionApplicationCommand:
		if msg := b.denied(i); msg != "" {
			b.sendError(i, msg)
			return "denied"
		}
		data := i.ApplicationCommandData()
		switch data.Name {
		case "help":
			b.reply(i, discordgo.InteractionResponseChannelMessageWithSource, message{embeds: []*discordgo.MessageEmbed{helpEmbed(b.brief.Examples(), b.features())}, ephemeral: true})
			return "ok"
		case "ingest":
			return b.ingestCommand(i, data)
		case "digest":
			return b.digestCommand(i, data)
		case "watch":
			return b.watchCommand(i, data)
		case briefMeCommand:
			return b.briefMe(i, data)
		case "corrections":
			if b.deps.Corrections == nil {
				b.sendError(i, "Corrections are not set up on this bot.")
				return "unknown"
			}
			return b.correctionsCommand(i)
		}
		names, known := argNames[data.Name]
		if !known {
			b.sendError(i, "Unknown command; try /help.")
			return "unknown"
		}
		if msg, limited := b.slowDown(i); limited {
			b.sendError(i, msg)
			return "rate-limited"
		}
		req := request{Command: data.Name, User: userID(i)}
		for _, n := range names {
			req.Args = append(req.Args, option(data.Options, n))
		}
		return b.answer(i, req, false)
	case discordgo.InteractionModalSubmit:
		if strings.HasPrefix(i.ModalSubmitData().CustomID, speakerModalPrefix) {
			return b.submitSpeaker(i)
		}
		b.sendError(i, "briefbot has no form open; run the command again.")
		return "bad-modal"
	case discordgo.InteractionMessageComponent:
		data := i.MessageComponentData()
		if req, ok := b.parseQuestionMenu(narrowLetter, data.CustomID); ok {
			return b.narrow(i, req, data.Values)
		}
		if strings.HasPrefix(data.CustomID, reviewPrefix) && b.deps.Corrections != nil {
			return b.review(i, data.CustomID)
		}
		if req, ok := b.parseQuestionMenu(correctLetter, data.CustomID); ok {
			if outcome, no := b.refused(i, false); no {
				return outcome
			}
			return b.correct(i, req, data.Values)
		}
		if data.CustomID == contextMenuID || data.CustomID == followMenuID {
			if outcome, no := b.refused(i, true); no {
				return outcome
			}
			if data.CustomID == contextMenuID {
				return b.openInContext(i, data.Values)
			}
			return b.followItem(i, data.Values)
		}
		req, ok := b.parseButton(data.CustomID)
		if !ok {
			b.sendError(i, "That button no longer works; run the command again.")
			return "bad-button"
		}
		if req.User != userID(i) {
			b.sendError(i, fmt.Sprintf("Only <@%s> can page this answer. Run the command yourself to get your own.", req.User))
			return "not-yours"
		}
		if outcome, no := b.refused(i, true); no {
			return outcome
		}
		return b.answer(i, req, true)
	}
	return "ignored"
}

// refused answers an interaction the user may not make here, or (with
// rate) not so soon, and gives its outcome; no says it was refused.
func (b *Bot) refused(i *discordgo.Interaction, rate bool) (outcome string, no bool) {
	if msg := b.denied(i); msg != "" {
		b.sendError(i, msg)
		return "denied", true
	}
	if !rate {
		return "", false
	}
	if msg, limited := b.slowDown(i); limited {
		b.sendError(i, msg)
		return "rate-limited", true
	}
	return "", false
}

// slowDown takes a token from the user's bucket, or says when to try again.
func (b *Bot) slowDown(i *discordgo.Interaction) (string, bool) {
	wait, ok := b.limiter.allow(userID(i), b.deps.Now())
	if ok {
		return "", false
	}
	return fmt.Sprintf("Slow down: try again in %d seconds.", int(wait.Seconds()+0.999)), true
}

// denied says why a user may not ask here ("" when they may).
func (b *Bot) denied(i *discordgo.Interaction) string {
	if len(b.cfg.AllowedChannels) > 0 && !oneOf(i.ChannelID, b.cfg.AllowedChannels) {
		return "briefbot does not answer in this channel."
	}
	if len(b.cfg.AllowedRoles) > 0 {
		if i.Member == nil {
			return "briefbot only answers in the team's server."
		}
		for _, r := range i.Member.Roles {
			if oneOf(r, b.cfg.AllowedRoles) {
				return ""
			}
		}
		return "You need one of the team's roles to use briefbot."
	}
	return ""
}

// answer computes the reply to a question (or a page of one).
func (b *Bot) answer(i *discordgo.Interaction, req request, update bool) string {
	return b.within(i, req.Command, update, req.arg("private") == "true", func() (message, string) { return b.compose(req) })
}

// within sends the reply compose makes; if that takes longer than AckAfter
// it defers the interaction first (privately when private is set) and
// edits the reply in when ready.
func (b *Bot) within(i *discordgo.Interaction, name string, update, private bool, compose func() (message, string)) string {
	type result struct {
		msg     message
		outcome string
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				b.deps.Logger.Error("answer panicked", "command", name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				done <- result{message{content: "Something went wrong answering that. It has been logged; please try again.", ephemeral: true}, "panic"}
			}
		}()
		msg, outcome := compose()
		done <- result{msg, outcome}
	}()
	immediate := discordgo.InteractionResponseChannelMessageWithSource
	deferred := discordgo.InteractionResponseDeferredChannelMessageWithSource
	if update {
		immediate, deferred = discordgo.InteractionResponseUpdateMessage, discordgo.InteractionResponseDeferredMessageUpdate
	}
	select {
	case r := <-done:
		if update && r.msg.ephemeral {
			immediate = discordgo.InteractionResponseChannelMessageWithSource // errors go to the presser alone
		}
		b.reply(i, immediate, r.msg)
		return r.outcome
	case <-time.After(b.deps.AckAfter):
	}
	resp := &discordgo.InteractionResponse{Type: deferred}
	if private && !update {
		resp.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if err := b.respond(i, resp); err != nil {
		return "failed"
	}
	r := <-done
	edit := &discordgo.WebhookEdit{AllowedMentions: noMentions()}
	embeds, components := r.msg.embeds, r.msg.components
	content := r.msg.content
	edit.Embeds, edit.Components, edit.Content = &embeds, &components, &content
	if _, err := b.session.InteractionResponseEdit(i, edit); err != nil {
		var re *discordgo.RESTError
		if errors.As(err, &re) && re.Response != nil {
			b.deps.Observer.DiscordError(re.Response.StatusCode)
		}
		b.deps.Logger.Error("edit deferred reply", "command", name, "err", restReason(err))
		return "failed"
	}
	return r.outcome + "-deferred"
}

// compose runs the question and renders the reply.
func (b *Bot) compose(req request) (message, string) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	ans, err := b.ask(ctx, req)
	var ie *brief.InputError
	switch {
	case errors.As(err, &ie):
		return message{content: clip(ie.Msg, maxContent), ephemeral: true}, "bad-input"
	case err != nil:
		b.deps.Logger.Error("answer failed", "command", req.Command, "err", err)
		return message{content: "The briefing index could not answer just now; please try again shortly.", ephemeral: true}, "error"
	case len(ans.Items) == 0 && len(ans.Background) == 0:
		note := ans.Note
		if note == "" {
			note = "Nothing found. Try other words, or /help."
		}
		return message{content: clip(note, maxContent), ephemeral: true}, "empty"
	}
	embed, shown := embedOf(ans, b.deps.Now())
	msg := message{embeds: []*discordgo.MessageEmbed{embed}, private: req.arg("private") == "true"}
	if row, ok := b.pager(req, shown, ans.Total); ok {
		msg.components = []discordgo.MessageComponent{row}
	} else if ans.Total > shown {
		embed.Footer.Text = clip(embed.Footer.Text+" · paging is unavailable just now; ask again for more", maxFooter)
	}
	items := ans.Items
	if len(ans.Sides) == 0 {
		items = items[:min(shown, len(items))]
	}
	// The menus that act on the question carry its ID, kept once.
	question, ok := b.buttonID(req)
	if !ok {
		question = ""
	}
	narrow, cut := b.narrowRow(req, question, items)
	if narrow != nil {
		msg.components = append(msg.components, narrow)
	}
	if cut {
		embed.Footer.Text = clip(embed.Footer.Text+" · some narrowing choices are too long for Discord and are left out", maxFooter)
	}
	msg.components = append(msg.components, b.itemRows(req, ans, items)...)
	if row := b.correctRow(req, question, ans, items); row != nil {
		msg.components = append(msg.components, row)
	}
	return msg, "ok"
}

// ask runs a request's question.
func (b *Bot) ask(ctx context.Context, req request) (*brief.Answer, error) {
	page := brief.Page{Offset: req.Offset, Limit: b.deps.PageSize, Only: brief.Only{Outlet: req.arg("outlet"), Published: req.arg("published")}}
	arg := func(k int) string {
		if k < len(req.Args) {
			return req.Args[k]
		}
		return ""
	}
	switch req.Command {
	case "stance":
		return b.brief.Stance(ctx, brief.StanceQuery{Topic: arg(0), Actors: []string{arg(1), arg(2)}, By: arg(3)}, page)
	case "timeline":
		return b.brief.Timeline(ctx, arg(0), arg(1), arg(2), page)
	case "quote":
		return b.brief.Quote(ctx, arg(0), arg(1), page)
	case "search":
		return b.brief.Search(ctx, arg(0), page)
	case "source":
		return b.brief.Source(ctx, arg(0), page)
	}
	return nil, fmt.Errorf("unknown command %q", req.Command)
}

// pager makes the Previous/Next row; ok is false when no paging is needed
// or the question's state could not be kept.
func (b *Bot) pager(req request, shown, total int) (discordgo.ActionsRow, bool) {
	if total <= shown && req.Offset == 0 {
		return discordgo.ActionsRow{}, false
	}
	prev, next := req, req
	// Pages start at multiples of the page size, whatever this one showed.
	prev.Offset = max(req.Offset-b.deps.PageSize, 0)
	next.Offset = min(req.Offset+shown, brief.MaxOffset)
	prevID, ok1 := b.buttonID(prev)
	nextID, ok2 := b.buttonID(next)
	if !ok1 || !ok2 || prevID == nextID {
		return discordgo.ActionsRow{}, false
	}
	return discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: prevID, Disabled: req.Offset == 0},
		discordgo.Button{Label: "Next", Style: discordgo.PrimaryButton, CustomID: nextID, Disabled: req.Offset+shown >= total || next.Offset == req.Offset},
	}}, true
}

// buttonID is the custom ID of a page request: the request itself when it
// fits, else a key to it kept in the button store.
func (b *Bot) buttonID(r request) (string, bool) {
	if id, ok := r.customID(); ok {
		return id, true
	}
	id, key := r.stateID()
	state, _ := json.Marshal(storedQuestion{Command: r.Command, Args: r.Args})
	if err := b.deps.Buttons.PutButton(key, state); err != nil {
		b.deps.Logger.Error("keep a button's state", "err", err)
		return "", false
	}
	return id, true
}

// parseButton reads a page request back from a button's custom ID.
func (b *Bot) parseButton(id string) (request, bool) {
	if r, ok := parseCustomID(id); ok {
		return r, true
	}
	return parseStateID(id, func(key string) (storedQuestion, bool) {
		data, ok, err := b.deps.Buttons.Button(key)
		var q storedQuestion
		if err != nil || !ok || json.Unmarshal(data, &q) != nil {
			return q, false
		}
		return q, true
	})
}

func (b *Bot) autocomplete(i *discordgo.Interaction) string {
	data := i.ApplicationCommandData()
	var focused *discordgo.ApplicationCommandInteractionDataOption
	opts := data.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		opts = opts[0].Options // /watch add's options
	}
	for _, o := range opts {
		if o.Focused {
			focused = o
		}
	}
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if focused != nil {
		kind := map[string]string{"topic": brief.SuggestTopic, "actor": brief.SuggestActor, "actor2": brief.SuggestActor,
			"speaker": brief.SuggestSpeaker, "article": brief.SuggestArticle}[focused.Name]
		if kind != "" {
			typed, _ := focused.Value.(string)
			for _, c := range b.brief.Suggest(kind, typed) {
				choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.Value})
			}
		}
	}
	err := b.respond(i, &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	})
	if err != nil {
		return "failed"
	}
	return "ok"
}

// message is a reply before it becomes a response or an edit.
type message struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	ephemeral  bool
	// private is an answer only the asker sees: unlike an ephemeral
	// error, its buttons edit it in place.
	private bool
}

func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

func (b *Bot) reply(i *discordgo.Interaction, typ discordgo.InteractionResponseType, m message) {
	data := &discordgo.InteractionResponseData{
		Content: m.content, Embeds: m.embeds, Components: m.components, AllowedMentions: noMentions(),
	}
	if m.ephemeral || m.private {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	if typ == discordgo.InteractionResponseUpdateMessage && m.components == nil {
		data.Components = []discordgo.MessageComponent{}
	}
	b.respond(i, &discordgo.InteractionResponse{Type: typ, Data: data})
}

// sendError answers with a short note only the user sees.
func (b *Bot) sendError(i *discordgo.Interaction, msg string) {
	b.reply(i, discordgo.InteractionResponseChannelMessageWithSource, message{content: clip(msg, maxContent), ephemeral: true})
}

// respond sends the first response. discordgo already waits out 429s and
// retries 502s; a 5xx gets one more try here, then the failure is logged.
func (b *Bot) respond(i *discordgo.Interaction, resp *discordgo.InteractionResponse) error {
	if ch, ok := b.direct.LoadAndDelete(i.ID); ok {
		ch.(chan *discordgo.InteractionResponse) <- resp
		return nil
	}
	err := b.session.InteractionRespond(i, resp)
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500 {
		b.deps.Observer.DiscordError(re.Response.StatusCode)
		time.Sleep(300 * time.Millisecond)
		err = b.session.InteractionRespond(i, resp)
	}
	if err != nil {
		if errors.As(err, &re) && re.Response != nil {
			b.deps.Observer.DiscordError(re.Response.StatusCode)
		}
		b.deps.Logger.Error("respond to interaction", "command", interactionName(i), "err", restReason(err))
	}
	return err
}

// restReason describes a REST failure without the request's headers.
func restReason(err error) string {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		if re.Message != nil && re.Message.Message != "" {
			return fmt.Sprintf("HTTP %d: %s", re.Response.StatusCode, re.Message.Message)
		}
		return fmt.Sprintf("HTTP %d", re.Response.StatusCode)
	}
	return err.Error()
}

func interactionName(i *discordgo.Interaction) string {
	switch i.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
		return i.ApplicationCommandData().Name
	case discordgo.InteractionModalSubmit:
		return "correct-speaker"
	case discordgo.InteractionMessageComponent:
		switch i.MessageComponentData().CustomID {
		case contextMenuID:
			return "context"
		case followMenuID:
			return "follow"
		}
		switch id := i.MessageComponentData().CustomID; {
		case strings.HasPrefix(id, "n"):
			return "narrow"
		case strings.HasPrefix(id, reviewPrefix):
			return "review"
		case strings.HasPrefix(id, "c"):
			return "correct"
		}
		return "page"
	}
	return "other"
}

func userID(i *discordgo.Interaction) string {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User.ID
	}
	if i.User != nil {
		return i.User.ID
	}
	return ""
}

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
