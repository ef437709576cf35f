package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/taxonomy"
)

// sorts are the queue's orders, as the store names them.
var sorts = []string{"-created", "created", "-updated", "priority"}

// queueQuery is the queue's filter form as submitted (the URL query).
type queueQuery struct {
	Status, Priority, Channel, Team, Category, Assignee, Q, From, To, Sort string
}

type queuePage struct {
	Query      queueQuery
	Cases      []queueRow
	Triage     bool   // the triage tab is on: open cases not yet classified
	TriageURL  string // the triage queue
	Next       string // URL of the next page
	First      string // URL of the first page, when not on it
	Filtered   bool   // some filter is set
	Statuses   []complaint.Status
	Priorities []complaint.Priority
	Channels   []complaint.Channel
	Categories []string
	Teams      []string
	Sorts      []string
	Error      string // a filter that could not be read
}

func (s *server) queue(w http.ResponseWriter, r *http.Request, p access.Principal) {
	e := s.envOf(r)
	q := r.URL.Query()
	qq := queueQuery{
		Status: q.Get("status"), Priority: q.Get("priority"), Channel: q.Get("channel"),
		Team: strings.TrimSpace(q.Get("team")), Category: q.Get("category"), Assignee: q.Get("assignee"),
		Q: strings.TrimSpace(q.Get("q")), From: q.Get("from"), To: q.Get("to"), Sort: q.Get("sort"),
	}
	if !slices.Contains(sorts, qq.Sort) {
		qq.Sort = "-created"
	}
	page := queuePage{
		Query: qq, Statuses: complaint.Statuses, Priorities: complaint.Priorities, Channels: complaint.Channels,
		Categories: s.staffCategories(), Teams: s.teamsFor(p, ""), Sorts: sorts,
		TriageURL: queueURL(queueQuery{Status: "open", Category: taxonomy.Uncategorized, Sort: "priority"}, ""),
	}
	f := store.CaseFilter{Sort: qq.Sort, Limit: s.pageSize, Cursor: q.Get("cursor"), Team: qq.Team, Category: qq.Category}
	switch st := complaint.Status(qq.Status); {
	case qq.Status == "open":
		for _, s := range complaint.Statuses {
			if s.Open() {
				f.Statuses = append(f.Statuses, s)
			}
		}
	case st.Valid():
		f.Statuses = []complaint.Status{st}
	default:
		page.Query.Status = ""
	}
	if pr := complaint.Priority(qq.Priority); pr.Valid() {
		f.Priorities = []complaint.Priority{pr}
	} else {
		page.Query.Priority = ""
	}
	if ch := complaint.Channel(qq.Channel); ch.Valid() {
		f.Channels = []complaint.Channel{ch}
	} else {
		page.Query.Channel = ""
	}
	switch qq.Assignee {
	case "me":
		id := p.UserID
		f.AssigneeID = &id
	case "unassigned":
		var none int64
		f.AssigneeID = &none
	default:
		page.Query.Assignee = ""
	}
	if utf8.RuneCountInString(qq.Q) > 200 {
		page.Query.Q = string([]rune(qq.Q)[:200])
	}
	f.Query = page.Query.Q
	if qq.From != "" {
		if t, err := time.ParseInLocation("2006-01-02", qq.From, e.tz); err == nil {
			f.CreatedFrom = t
		} else {
			page.Error = e.lang.T("queue.error.date")
		}
	}
	if qq.To != "" {
		if t, err := time.ParseInLocation("2006-01-02", qq.To, e.tz); err == nil {
			f.CreatedTo = t.AddDate(0, 0, 1) // the whole "to" day is included
		} else {
			page.Error = e.lang.T("queue.error.date")
		}
	}
	page.Filtered = page.Query != queueQuery{Sort: page.Query.Sort}
	page.Triage = page.Query.Category == taxonomy.Uncategorized && page.Query.Status == "open"
	res, err := s.desk.List(r.Context(), p, f)
	if errors.Is(err, store.ErrBadCursor) {
		// A cursor from another order or an old link: start again.
		f.Cursor = ""
		res, err = s.desk.List(r.Context(), p, f)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m := masker{mask: true}
	for _, c := range res.Cases {
		page.Cases = append(page.Cases, queueRow{Case: c, Subject: m.text(fieldSubject, c.Subject),
			Triage: c.Category == taxonomy.Uncategorized || c.Assessment != nil && c.Assessment.Triage})
	}
	if res.NextCursor != "" {
		page.Next = queueURL(page.Query, res.NextCursor)
	}
	if f.Cursor != "" {
		page.First = queueURL(page.Query, "")
	}
	s.render(w, r, http.StatusOK, "console_list", "console", page)
}

// queueRow is a case in the queue, its subject masked.
type queueRow struct {
	*complaint.Case
	Subject shown
	Triage  bool // needs a person to classify it
}

// queueURL is the queue with filters qq, at cursor.
func queueURL(qq queueQuery, cursor string) string {
	v := url.Values{}
	for k, val := range map[string]string{"status": qq.Status, "priority": qq.Priority, "channel": qq.Channel,
		"team": qq.Team, "category": qq.Category, "assignee": qq.Assignee, "q": qq.Q, "from": qq.From,
		"to": qq.To, "sort": qq.Sort, "cursor": cursor} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return "/console?" + v.Encode()
}

// teamsFor lists the teams to offer: the configured ones, the agent's own
// and the case's current one.
func (s *server) teamsFor(p access.Principal, current string) []string {
	teams := slices.Clone(s.teams)
	for _, t := range []string{p.Team, current} {
		if t != "" && !slices.Contains(teams, t) {
			teams = append(teams, t)
		}
	}
	return teams
}

// ---- a case in the console ----

type consoleCase struct {
	Case     *complaint.Case
	Timeline []entry
	Next     []complaint.Status
	Can      struct{ Reply, Note, Transition, Assign, Classify, Reveal bool }
	// Subject, Description and Customer are masked, except the one field
	// Revealed names (after a reveal, for that response only).
	Subject, Description shown
	Customer             customerView
	Revealed             string
	// What redress understood, the deadlines, and the language to reply in.
	Assessment assessmentView
	Deadlines  []deadlineView
	ReplyIn    string
	Language   string // the language the case was filed in, in words
	// RevealRef is the case's ref when the viewer may reveal masked values
	// (the reveal forms post there), else "".
	RevealRef string
	Mine      bool // assigned to the viewer
	// The forms, with what was entered and its errors after a failed post.
	Reply, Note, Transition, Assign, Classify *form
	Error                                     string // a rule the post broke, such as a stale transition
	Teams, Categories                         []string
	Severities                                []complaint.Severity
	Priorities                                []complaint.Priority
	AtStake                                   []complaint.Money
}

func (s *server) consoleCase(w http.ResponseWriter, r *http.Request, p access.Principal) {
	s.showConsoleCase(w, r, p, http.StatusOK, nil)
}

func (s *server) showConsoleCase(w http.ResponseWriter, r *http.Request, p access.Principal, status int, cc *consoleCase) {
	ref := r.PathValue("ref")
	c, events, err := s.desk.View(r.Context(), p, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if cc == nil {
		cc = &consoleCase{}
	}
	for _, f := range []**form{&cc.Reply, &cc.Note, &cc.Transition, &cc.Assign, &cc.Classify} {
		if *f == nil {
			*f = newForm()
		}
	}
	say := s.wordsOf(r)
	m := masker{mask: true, revealed: cc.Revealed}
	cc.Case = c
	cc.Subject, cc.Description = m.text(fieldSubject, c.Subject), m.text(fieldDescription, c.Description)
	cc.Customer = m.customer(c.Customer)
	cc.Timeline = buildTimeline(say, p, viewerStaff, events, m)
	cc.Assessment = buildAssessment(say, c)
	cc.Deadlines = staffDeadlines(say.lang, c)
	cc.ReplyIn = replyLanguage(say.lang, c)
	cc.Language = languageName(say.lang, c.Language)
	cc.Next = c.Status.Next()
	can := func(a access.Action) bool { return access.Authorize(p, a, c) == nil }
	cc.Can.Reply, cc.Can.Note = can(access.PostMessage), can(access.AddNote)
	cc.Can.Transition, cc.Can.Assign, cc.Can.Classify = can(access.Transition), can(access.AssignCase), can(access.ClassifyCase)
	cc.Can.Reveal = can(access.RevealPII)
	if cc.Can.Reveal {
		cc.RevealRef = c.Ref
	}
	cc.Mine = c.AssigneeID != 0 && c.AssigneeID == p.UserID
	cc.Teams = s.teamsFor(p, c.Team)
	cc.Categories = s.staffCategories()
	if !slices.Contains(cc.Categories, c.Category) {
		cc.Categories = append(slices.Clone(cc.Categories), c.Category)
	}
	cc.Severities, cc.Priorities = complaint.Severities, complaint.Priorities
	if cc.Classify.Values["category"] == "" {
		cc.Classify.Values["category"] = c.Category
		cc.Classify.Values["severity"] = string(c.Severity)
		cc.Classify.Values["priority"] = string(c.Priority)
	}
	if cc.Assign.Values["team"] == "" {
		cc.Assign.Values["team"] = c.Team
	}
	seen := map[string]bool{}
	for _, t := range c.Transactions {
		if !seen[t.Amount.Currency] {
			seen[t.Amount.Currency] = true
			cc.AtStake = append(cc.AtStake, complaint.Money{Minor: c.AtStake(t.Amount.Currency), Currency: t.Amount.Currency})
		}
	}
	s.render(w, r, status, "console_case", "console", cc)
}

// consolePost finishes a console form: on success a flash and a redirect
// back to the case; on a domain error the case page again, with the
// error next to the form (invalid input, 422) or in a banner (a move the
// case's current state does not allow, 409).
func (s *server) consolePost(w http.ResponseWriter, r *http.Request, p access.Principal, err error,
	okKey string, which func(*consoleCase) **form, field string, values map[string]string) {
	ref := r.PathValue("ref")
	var re *complaint.RuleError
	switch {
	case err == nil:
		s.setFlash(w, "ok", okKey)
		redirect(w, r, "/console/"+ref)
		return
	case errors.As(err, &re) && re.Code == complaint.CodeNoChange:
		s.setFlash(w, "ok", "flash.no_change")
		redirect(w, r, "/console/"+ref)
		return
	case !isDomainError(err):
		s.fail(w, r, err)
		return
	}
	cc := &consoleCase{}
	f := newForm()
	for k, v := range values {
		f.Values[k] = v
	}
	*which(cc) = f
	s.domainFailure(f, field, &cc.Error, s.langOf(r), err)
	s.showConsoleCase(w, r, p, statusOf(err), cc)
}

func formText(r *http.Request, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(name), "\r\n", "\n"))
}

func (s *server) consoleReply(w http.ResponseWriter, r *http.Request, p access.Principal) {
	body := formText(r, "body")
	_, _, err := s.desk.Message(r.Context(), p, r.PathValue("ref"), body)
	s.consolePost(w, r, p, err, "flash.reply_sent", func(c *consoleCase) **form { return &c.Reply }, "body",
		map[string]string{"body": body})
}

func (s *server) consoleNote(w http.ResponseWriter, r *http.Request, p access.Principal) {
	body := formText(r, "note")
	_, _, err := s.desk.Note(r.Context(), p, r.PathValue("ref"), body)
	s.consolePost(w, r, p, err, "flash.note_added", func(c *consoleCase) **form { return &c.Note }, "note",
		map[string]string{"note": body})
}

func (s *server) consoleTransition(w http.ResponseWriter, r *http.Request, p access.Principal) {
	to := complaint.Status(r.PostFormValue("to"))
	reason := formText(r, "reason")
	_, _, err := s.desk.Transition(r.Context(), p, r.PathValue("ref"), to, reason)
	s.consolePost(w, r, p, err, "flash.status_changed", func(c *consoleCase) **form { return &c.Transition }, "reason",
		map[string]string{"reason": reason})
}

func (s *server) consoleAssign(w http.ResponseWriter, r *http.Request, p access.Principal) {
	ref := r.PathValue("ref")
	c, err := s.desk.Get(r.Context(), p, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	team := strings.TrimSpace(r.PostFormValue("team"))
	var to complaint.Assignment
	key := "flash.assigned"
	switch r.PostFormValue("action") {
	case "me":
		to = complaint.Assignment{Team: c.Team, AssigneeID: p.UserID, AssigneeName: p.Name}
		key = "flash.assigned_me"
	case "release":
		to = complaint.Assignment{Team: c.Team}
		key = "flash.released"
	case "transfer":
		to = complaint.Assignment{Team: team}
	default:
		s.fail(w, r, errBadRequest)
		return
	}
	_, _, err = s.desk.Assign(r.Context(), p, ref, to)
	s.consolePost(w, r, p, err, key, func(c *consoleCase) **form { return &c.Assign }, "team",
		map[string]string{"team": team})
}

// consoleReveal shows one masked value of the case in full: it records
// that the viewer saw it (desk.RevealPII, which refuses those who may
// not) and shows the case page again with that value unmasked, for this
// response only.
func (s *server) consoleReveal(w http.ResponseWriter, r *http.Request, p access.Principal) {
	ref, field := r.PathValue("ref"), r.PostFormValue("field")
	c, events, err := s.desk.View(r.Context(), p, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !revealable(field, c, events) {
		s.fail(w, r, errBadRequest)
		return
	}
	if _, err := s.desk.RevealPII(r.Context(), p, ref, field); err != nil {
		s.fail(w, r, err)
		return
	}
	s.showConsoleCase(w, r, p, http.StatusOK, &consoleCase{Revealed: field})
}

func (s *server) consoleClassify(w http.ResponseWriter, r *http.Request, p access.Principal) {
	to := complaint.Classification{
		Category: strings.TrimSpace(r.PostFormValue("category")),
		Severity: complaint.Severity(r.PostFormValue("severity")),
		Priority: complaint.Priority(r.PostFormValue("priority")),
	}
	_, _, err := s.desk.Classify(r.Context(), p, r.PathValue("ref"), to)
	field := "category"
	var ve *complaint.ValidationError
	if errors.As(err, &ve) && (ve.Field == "severity" || ve.Field == "priority") {
		field = ve.Field
	}
	s.consolePost(w, r, p, err, "flash.classified", func(c *consoleCase) **form { return &c.Classify }, field,
		map[string]string{"category": to.Category, "severity": string(to.Severity), "priority": string(to.Priority)})
}
