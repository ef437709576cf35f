package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// DefaultAgentCapacity is how many open cases an agent without a profile
// (or with a profile that did not set it) holds at most.
const DefaultAgentCapacity = 20

// The availabilities an agent profile may have; they are route's.
const (
	AvailabilityOnline   = "online"
	AvailabilityAway     = "away"
	AvailabilityOffShift = "off_shift"
)

// ErrInvalidProfile means an agent profile has a negative capacity or an
// unknown availability.
var ErrInvalidProfile = errors.New("store: invalid agent profile")

// AgentProfile is what routing knows about an agent or supervisor: their
// account (ID, Name, Team, Role; read only) and the work they take. An
// empty skill list means any value. A staff account that never had a
// profile stored reads with the defaults: any language, category and
// channel, DefaultAgentCapacity, online, and a zero UpdatedAt.
type AgentProfile struct {
	UserID       int64          `json:"user_id"`
	Name         string         `json:"name"`
	Team         string         `json:"team"`
	Role         complaint.Role `json:"role"`
	Languages    []string       `json:"languages"`
	Categories   []string       `json:"categories"`
	Channels     []string       `json:"channels"`
	Capacity     int            `json:"capacity"`
	Availability string         `json:"availability"`
	// Calendar names the clock calendar of the agent's shift (e.g. "cn",
	// "none"); empty means no shift limit. Hours are their working hours
	// on its working days (e.g. "09:00-18:00"); empty means the
	// calendar's. The store does not check them; callers validate.
	Calendar  string    `json:"calendar"`
	Hours     string    `json:"hours"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

func validAvailability(a string) bool {
	return a == AvailabilityOnline || a == AvailabilityAway || a == AvailabilityOffShift
}

// UpsertAgentProfile stores the skills, capacity and availability of the
// user p.UserID (the account fields of p are ignored); an empty
// Availability means online. An unknown user is complaint.ErrNotFound.
func (s *Store) UpsertAgentProfile(ctx context.Context, p AgentProfile) error {
	if p.Availability == "" {
		p.Availability = AvailabilityOnline
	}
	if p.Capacity < 0 || !validAvailability(p.Availability) {
		return fmt.Errorf("%w: capacity %d, availability %q", ErrInvalidProfile, p.Capacity, p.Availability)
	}
	langs, cats, chans := skillJSON(p.Languages), skillJSON(p.Categories), skillJSON(p.Channels)
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		if err := t.userExists(p.UserID); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO agent_profiles (user_id, languages, categories, channels, capacity, availability,
			calendar, hours, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET languages = excluded.languages, categories = excluded.categories,
			channels = excluded.channels, capacity = excluded.capacity, availability = excluded.availability,
			calendar = excluded.calendar, hours = excluded.hours, updated_at = excluded.updated_at`,
			p.UserID, langs, cats, chans, p.Capacity, p.Availability, p.Calendar, p.Hours, t.s.d.ts(now))
		return wrap("storing agent profile", err)
	})
}

// SetAgentAvailability sets whether the user is taking cases (online, away
// or off_shift), creating their profile with the defaults if they have
// none. An unknown user is complaint.ErrNotFound.
func (s *Store) SetAgentAvailability(ctx context.Context, userID int64, availability string) error {
	if !validAvailability(availability) {
		return fmt.Errorf("%w: availability %q", ErrInvalidProfile, availability)
	}
	now := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		if err := t.userExists(userID); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO agent_profiles (user_id, capacity, availability, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET availability = excluded.availability, updated_at = excluded.updated_at`,
			userID, DefaultAgentCapacity, availability, t.s.d.ts(now))
		return wrap("setting agent availability", err)
	})
}

func (t *tx) userExists(id int64) error {
	var one int
	err := t.queryRow("SELECT 1 FROM users WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return complaint.ErrNotFound
	}
	return wrap("reading user", err)
}

// AgentProfiles returns the profile of every active (not disabled) agent
// and supervisor, by user id; those without a stored profile have the
// defaults.
func (s *Store) AgentProfiles(ctx context.Context) ([]AgentProfile, error) {
	rows, err := s.query(ctx, `SELECT u.id, u.name, u.team, u.role,
		COALESCE(p.languages, '[]'), COALESCE(p.categories, '[]'), COALESCE(p.channels, '[]'),
		COALESCE(p.capacity, ?), COALESCE(p.availability, ?), COALESCE(p.calendar, ''), COALESCE(p.hours, ''), p.updated_at
		FROM users u LEFT JOIN agent_profiles p ON p.user_id = u.id
		WHERE u.role IN (?, ?) AND u.disabled = ? ORDER BY u.id`,
		DefaultAgentCapacity, AvailabilityOnline, string(complaint.RoleAgent), string(complaint.RoleSupervisor), false)
	if err != nil {
		return nil, wrap("listing agent profiles", err)
	}
	defer rows.Close()
	out := []AgentProfile{}
	for rows.Next() {
		var p AgentProfile
		var langs, cats, chans string
		if err := rows.Scan(&p.UserID, &p.Name, &p.Team, &p.Role, &langs, &cats, &chans,
			&p.Capacity, &p.Availability, &p.Calendar, &p.Hours, instant{&p.UpdatedAt}); err != nil {
			return nil, wrap("listing agent profiles", err)
		}
		for _, f := range []struct {
			raw string
			dst *[]string
		}{{langs, &p.Languages}, {cats, &p.Categories}, {chans, &p.Channels}} {
			if err := json.Unmarshal([]byte(f.raw), f.dst); err != nil {
				return nil, fmt.Errorf("store: agent profile %d: %w", p.UserID, err)
			}
		}
		out = append(out, p)
	}
	return out, wrap("listing agent profiles", rows.Err())
}

// OpenCaseLoads returns how many open cases (any status but resolved,
// closed and withdrawn) each assignee holds; users holding none are
// absent.
func (s *Store) OpenCaseLoads(ctx context.Context) (map[int64]int, error) {
	rows, err := s.query(ctx, `SELECT assignee_id, COUNT(*) FROM cases
		WHERE assignee_id <> 0 AND status NOT IN (?, ?, ?) GROUP BY assignee_id`,
		string(complaint.StatusResolved), string(complaint.StatusClosed), string(complaint.StatusWithdrawn))
	if err != nil {
		return nil, wrap("counting open cases", err)
	}
	defer rows.Close()
	loads := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap("counting open cases", err)
		}
		loads[id] = n
	}
	return loads, wrap("counting open cases", rows.Err())
}

// skillJSON encodes a skill list; nil and empty are both "[]".
func skillJSON(list []string) string {
	if len(list) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(list) // strings always encode
	return string(b)
}

// OpenCaseRefsOf returns the refs of the open cases (any status but
// resolved, closed and withdrawn) the user holds, oldest first.
func (s *Store) OpenCaseRefsOf(ctx context.Context, assigneeID int64) ([]string, error) {
	rows, err := s.query(ctx, `SELECT ref FROM cases
		WHERE assignee_id = ? AND status NOT IN (?, ?, ?) ORDER BY id`,
		assigneeID, string(complaint.StatusResolved), string(complaint.StatusClosed), string(complaint.StatusWithdrawn))
	if err != nil {
		return nil, wrap("listing open cases of an assignee", err)
	}
	defer rows.Close()
	refs := []string{}
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, wrap("listing open cases of an assignee", err)
		}
		refs = append(refs, ref)
	}
	return refs, wrap("listing open cases of an assignee", rows.Err())
}

// TeamProfile gives the skills a team's agents inherit when their own
// list is empty (an empty list here means any value).
type TeamProfile struct {
	Team       string   `json:"team"`
	Languages  []string `json:"languages"`
	Categories []string `json:"categories"`
	Channels   []string `json:"channels"`
}

// UpsertTeamProfile stores the skills of team p.Team, replacing any
// stored before. An empty team name is ErrInvalidProfile.
func (s *Store) UpsertTeamProfile(ctx context.Context, p TeamProfile) error {
	if p.Team == "" {
		return fmt.Errorf("%w: empty team", ErrInvalidProfile)
	}
	langs, cats, chans := skillJSON(p.Languages), skillJSON(p.Categories), skillJSON(p.Channels)
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec(`INSERT INTO team_profiles (team, languages, categories, channels) VALUES (?, ?, ?, ?)
			ON CONFLICT (team) DO UPDATE SET languages = excluded.languages, categories = excluded.categories,
			channels = excluded.channels`, p.Team, langs, cats, chans)
		return wrap("storing team profile", err)
	})
}

// TeamProfiles returns every stored team profile, by team name.
func (s *Store) TeamProfiles(ctx context.Context) ([]TeamProfile, error) {
	rows, err := s.query(ctx, `SELECT team, languages, categories, channels FROM team_profiles ORDER BY team`)
	if err != nil {
		return nil, wrap("listing team profiles", err)
	}
	defer rows.Close()
	out := []TeamProfile{}
	for rows.Next() {
		var p TeamProfile
		var langs, cats, chans string
		if err := rows.Scan(&p.Team, &langs, &cats, &chans); err != nil {
			return nil, wrap("listing team profiles", err)
		}
		for _, f := range []struct {
			raw string
			dst *[]string
		}{{langs, &p.Languages}, {cats, &p.Categories}, {chans, &p.Channels}} {
			if err := json.Unmarshal([]byte(f.raw), f.dst); err != nil {
				return nil, fmt.Errorf("store: team profile %q: %w", p.Team, err)
			}
		}
		out = append(out, p)
	}
	return out, wrap("listing team profiles", rows.Err())
}
