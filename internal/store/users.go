package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

const userColumns = "u.id, u.email, u.name, u.role, u.password_hash, u.customer_id, u.merchant_id, u.team, u.disabled, u.created_at"

func scanUser(r rowScanner, extra ...any) (access.User, error) {
	var u access.User
	dest := append([]any{&u.ID, &u.Email, &u.Name, &u.Role, &u.PasswordHash, &u.CustomerID, &u.MerchantID,
		&u.Team, &u.Disabled, instant{&u.CreatedAt}}, extra...)
	err := r.Scan(dest...)
	return u, err
}

// emailKey is the form of an email that must be unique: letter case does
// not tell two addresses apart.
func emailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser stores a new user and sets its ID and CreatedAt. An email
// already taken, in any letter case, is ErrEmailTaken.
func (s *Store) CreateUser(ctx context.Context, u *access.User) error {
	created := complaint.Timestamp(s.now())
	var id int64
	err := s.write(ctx, func(t *tx) error {
		err := t.queryRow(`INSERT INTO users (email, email_key, name, role, password_hash, customer_id, merchant_id,
			team, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (email_key) DO NOTHING RETURNING id`,
			u.Email, emailKey(u.Email), u.Name, string(u.Role), u.PasswordHash, u.CustomerID, u.MerchantID,
			u.Team, u.Disabled, t.s.d.ts(created)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrEmailTaken
		}
		return wrap("inserting user", err)
	})
	if err != nil {
		return err
	}
	u.ID, u.CreatedAt = id, created
	return nil
}

// UserByEmail returns the user with that email in any letter case, or
// complaint.ErrNotFound.
func (s *Store) UserByEmail(ctx context.Context, email string) (access.User, error) {
	return s.user(ctx, "SELECT "+userColumns+" FROM users u WHERE u.email_key = ?", emailKey(email))
}

// UserByID returns the user with that id, or complaint.ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (access.User, error) {
	return s.user(ctx, "SELECT "+userColumns+" FROM users u WHERE u.id = ?", id)
}

func (s *Store) user(ctx context.Context, query string, arg any) (access.User, error) {
	u, err := scanUser(s.queryRow(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return access.User{}, complaint.ErrNotFound
	}
	return u, wrap("reading user", err)
}

// ListUsers returns every user, oldest first.
func (s *Store) ListUsers(ctx context.Context) ([]access.User, error) {
	rows, err := s.query(ctx, "SELECT "+userColumns+" FROM users u ORDER BY u.id")
	if err != nil {
		return nil, wrap("listing users", err)
	}
	defer rows.Close()
	users := []access.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, wrap("listing users", err)
		}
		users = append(users, u)
	}
	return users, wrap("listing users", rows.Err())
}

// CreateToken stores an API token of a user; only its hash is kept.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string, tokenHash []byte) error {
	created := complaint.Timestamp(s.now())
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
			userID, name, tokenHash, t.s.d.ts(created))
		return wrap("inserting token", err)
	})
}

// UserByTokenHash returns the user an API token belongs to, or
// complaint.ErrNotFound. It notes when the token was last used, to the
// minute, in the background, so that using a token costs one indexed read.
func (s *Store) UserByTokenHash(ctx context.Context, tokenHash []byte) (access.User, error) {
	var tokenID int64
	var lastUsed time.Time
	row := s.queryRow(ctx, "SELECT "+userColumns+", t.id, t.last_used_at FROM api_tokens t "+
		"JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?", tokenHash)
	u, err := scanUser(row, &tokenID, instant{&lastUsed})
	if errors.Is(err, sql.ErrNoRows) {
		return access.User{}, complaint.ErrNotFound
	}
	if err != nil {
		return access.User{}, wrap("reading token", err)
	}
	if now := s.now(); now.Sub(lastUsed) >= s.tokenTouch {
		s.touchToken(tokenID, complaint.Timestamp(now))
	}
	return u, nil
}

// touchToken records that a token was used at now. Concurrent requests
// may all see the time as stale; the condition keeps all but one from
// writing.
func (s *Store) touchToken(id int64, now time.Time) {
	s.background(func(ctx context.Context) {
		s.write(ctx, func(t *tx) error {
			d := t.s.d
			_, err := t.exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
				d.ts(now), id, d.ts(now.Add(-s.tokenTouch)))
			return err
		})
	})
}

// CreateSession stores a browser session.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	return s.write(ctx, func(t *tx) error {
		d := t.s.d
		_, err := t.exec("INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
			sess.IDHash, sess.UserID, sess.CSRFToken, d.ts(complaint.Timestamp(sess.CreatedAt)),
			d.ts(complaint.Timestamp(sess.ExpiresAt)))
		return wrap("inserting session", err)
	})
}

// SessionByHash returns a session that has not expired at now, and its
// user; complaint.ErrNotFound otherwise.
func (s *Store) SessionByHash(ctx context.Context, idHash []byte, now time.Time) (Session, access.User, error) {
	sess := Session{}
	row := s.queryRow(ctx, "SELECT "+userColumns+", s.id_hash, s.user_id, s.csrf_token, s.created_at, s.expires_at "+
		"FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ? AND s.expires_at > ?", idHash, s.d.ts(now))
	u, err := scanUser(row, &sess.IDHash, &sess.UserID, &sess.CSRFToken, instant{&sess.CreatedAt}, instant{&sess.ExpiresAt})
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, access.User{}, complaint.ErrNotFound
	}
	if err != nil {
		return Session{}, access.User{}, wrap("reading session", err)
	}
	return sess, u, nil
}

// DeleteSession removes a session (logout); a missing one is no error.
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	return s.write(ctx, func(t *tx) error {
		_, err := t.exec("DELETE FROM sessions WHERE id_hash = ?", idHash)
		return wrap("deleting session", err)
	})
}

// DeleteExpiredSessions removes the sessions expired at now and returns
// how many there were.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec("DELETE FROM sessions WHERE expires_at <= ?", t.s.d.ts(now))
		if err != nil {
			return wrap("deleting expired sessions", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}
