package intake

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/intake/email"
)

// FromEmail turns a raw RFC 5322 message into a Message of the email
// channel: the sender is the customer (by email address; the display name,
// or the address's local part, is the name), the subject and the text are
// the complaint's, attachments are recorded as metadata, and ids in the
// text that look like transaction ids are looked up. Its time is the
// message's Date when that is plausible (not in the future), else now. A
// message that cannot be read is an *email.Error.
func FromEmail(raw []byte, now time.Time) (Message, error) {
	em, err := email.Parse(raw, email.Limits{MaxBytes: MaxPayload})
	if err != nil {
		return Message{}, err
	}
	name := em.From.Name
	if name == "" {
		name, _, _ = strings.Cut(em.From.Address, "@")
	}
	text := em.Text
	if strings.TrimSpace(text) == "" {
		text = fmt.Sprintf("(The email has no text; it came with %d attachment(s).)", len(em.Attachments))
	}
	subject := fitLine(em.Subject, complaint.MaxSubject)
	if subject == "" {
		subject = subjectFrom(em.Text)
	}
	if subject == "" {
		subject = "(no subject)"
	}
	received := now
	if !em.Date.IsZero() && em.Date.Year() >= 2000 && !em.Date.After(now.Add(time.Hour)) {
		received = em.Date
	}
	atts := em.Attachments
	if len(atts) > complaint.MaxAttachments {
		text += fmt.Sprintf("\n\n(%d more attachment(s) are in the original message.)", len(atts)-complaint.MaxAttachments)
		atts = atts[:complaint.MaxAttachments]
	}
	d := complaint.Draft{
		Customer:    complaint.Customer{Name: fitLine(name, complaint.MaxName), Email: em.From.Address},
		Channel:     complaint.ChannelEmail,
		Subject:     subject,
		Description: fitText(text, complaint.MaxDescription),
	}
	for _, a := range atts {
		d.Attachments = append(d.Attachments, complaint.Attachment{Name: a.Name, ContentType: a.ContentType, Size: min(a.Size, complaint.MaxAttachment), SHA256: a.SHA256})
	}
	if len(em.From.Address) > complaint.MaxEmail {
		return Message{}, &email.Error{Code: email.CodeMalformed, Field: "From", Message: "the From address is too long"}
	}
	return Message{
		Channel:      complaint.ChannelEmail,
		SourceID:     em.MessageID,
		ReceivedAt:   received,
		Payload:      raw,
		Draft:        d,
		MentionedIDs: MentionedIDs(em.Subject + "\n" + em.Text),
	}, nil
}

// idLike matches tokens that may be transaction ids: 10 to 64 letters,
// digits, hyphens and underscores, starting with a letter or digit.
var idLike = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9_-]{9,63}`)

// MentionedIDs returns the tokens of text that look like transaction ids
// (at least 10 characters, of which at least 8 digits), at most 10.
func MentionedIDs(text string) []string {
	var out []string
	for _, tok := range idLike.FindAllString(text, 200) {
		digits := strings.Count(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return 'd'
			}
			return -1
		}, tok), "d")
		if digits < 8 {
			continue
		}
		if !contains(out, tok) {
			out = append(out, tok)
		}
		if len(out) == maxMentioned {
			break
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
