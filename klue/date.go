package klue

import (
	"fmt"
	"time"
)

// Date is a calendar date, without a time of day or a time zone: the Go
// type of a string of format "date" ("2006-01-02"), as klue gen writes it.
// It reads and writes itself as that text (in JSON, in parameters, in
// forms). The zero value is not a valid date; IsZero reports it, so that
// optional dates can be omitted.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t, in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate reads a date written "2006-01-02", and refuses anything else,
// including days that do not exist.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("klue: invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String returns the date written "2006-01-02".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns the time at the start of the date in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MarshalText writes the date as "2006-01-02".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads a date written "2006-01-02".
func (d *Date) UnmarshalText(text []byte) error {
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
