package klue_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want klue.Date
		ok   bool
	}{
		{"2024-02-29", klue.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{"0001-01-01", klue.Date{Year: 1, Month: time.January, Day: 1}, true},
		{"2023-02-29", klue.Date{}, false},
		{"2024-1-5", klue.Date{}, false},
		{"2024-01-05T00:00:00Z", klue.Date{}, false},
		{"", klue.Date{}, false},
	}
	for _, tt := range tests {
		got, err := klue.ParseDate(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if tt.ok && got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	type holder struct {
		Day  klue.Date  `json:"day"`
		Opt  *klue.Date `json:"opt,omitempty"`
		Zero klue.Date  `json:"zero,omitzero"`
	}
	in := `{"day":"1999-12-31"}`
	var h holder
	if err := json.Unmarshal([]byte(in), &h); err != nil {
		t.Fatal(err)
	}
	if h.Day != (klue.Date{Year: 1999, Month: time.December, Day: 31}) || h.Opt != nil || !h.Zero.IsZero() {
		t.Fatalf("decoded %+v", h)
	}
	out, err := json.Marshal(h)
	if err != nil || string(out) != in {
		t.Fatalf("encoded %s, %v; want %s", out, err, in)
	}
	if err := json.Unmarshal([]byte(`{"day":"1999-13-01"}`), &h); err == nil {
		t.Error("month 13 decoded")
	}
}

func TestDateOf(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		paris = time.FixedZone("CET", 3600)
	}
	// 23:30 UTC on the 31st is already the 1st in Paris.
	tm := time.Date(2024, time.December, 31, 23, 30, 0, 0, time.UTC)
	if d := klue.DateOf(tm.In(paris)); d.String() != "2025-01-01" {
		t.Errorf("DateOf in Paris = %s", d)
	}
	if d := klue.DateOf(tm); d.String() != "2024-12-31" {
		t.Errorf("DateOf in UTC = %s", d)
	}
	d := klue.Date{Year: 2024, Month: time.March, Day: 10}
	if got := d.In(time.UTC); !got.Equal(time.Date(2024, time.March, 10, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("In = %v", got)
	}
}
