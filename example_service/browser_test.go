package main_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// screenshots is where TestDocsPages leaves its screenshots, for people to
// look at; git ignores it.
const screenshots = "testdata/screenshots"

// TestDocsPages opens the documentation pages of the user service (OpenAPI
// 3.0) and of the login service (Swagger 2.0) in headless Chromium, reads
// the operations Swagger UI lists from the rendered page, and saves a
// screenshot of each page under testdata/screenshots.
func TestDocsPages(t *testing.T) {
	t.Parallel()
	browser := findChromium(t)
	in := startExample(t)

	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(browser),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1400),
		// The network is closed to everything but the example: Chromium
		// must not wait on connections of its own.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WSURLReadTimeout(60*time.Second),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium's sandbox refuses root
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	ctx = startBrowser(t, ctx, opts)
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}

	for _, page := range []struct {
		service, title string
		want           []string
	}{
		{"user", "User", []string{"POST /users", "GET /users/{id}", "PATCH /users/{id}", "GET /me", "POST /authenticate"}},
		{"login", "Login", []string{"POST /login", "GET /session", "DELETE /session"}},
	} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(in.base[page.service]+"/docs/"),
			chromedp.WaitVisible(chromedp.CSS(".opblock-summary-path")))
		if err != nil {
			t.Fatalf("%s docs: %v", page.service, err)
		}
		title, err1 := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".info .title")))
		ops, err2 := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('.opblock')).map(op =>
			op.querySelector('.opblock-summary-method').textContent + ' ' +
			op.querySelector('.opblock-summary-path').getAttribute('data-path'))`))
		png, err3 := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatalf("%s docs: %v", page.service, err)
		}
		if !strings.HasPrefix(strings.TrimSpace(title), page.title) {
			t.Errorf("%s docs: title %q, want %q", page.service, title, page.title)
		}
		slices.Sort(ops)
		want := slices.Sorted(slices.Values(page.want))
		if !slices.Equal(ops, want) {
			t.Errorf("%s docs list %q, want %q", page.service, ops, want)
		}
		shot := filepath.Join(screenshots, page.service+"-docs.png")
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		if len(png) < 10_000 {
			t.Errorf("%s docs: a screenshot of %d bytes is too small to show the page", page.service, len(png))
		}
		t.Logf("%s docs: %d operations listed; screenshot in example_service/%s", page.service, len(ops), shot)
	}

	// The public page calls its service: "Try it out" on GET /version.
	err := chromedp.Do(ctx,
		chromedp.Navigate(in.base["public"]+"/docs/"),
		chromedp.Click(chromedp.CSS("#operations-default-getVersion .opblock-summary")),
		chromedp.Click(chromedp.CSS("#operations-default-getVersion .try-out__btn")),
		chromedp.Click(chromedp.CSS("#operations-default-getVersion .execute")),
		chromedp.WaitVisible(chromedp.CSS("#operations-default-getVersion .live-responses-table tr.response .response-col_status")))
	if err != nil {
		t.Fatalf("public docs: try GET /version: %v", err)
	}
	status, err1 := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#operations-default-getVersion .live-responses-table tr.response .response-col_status")))
	body, err2 := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#operations-default-getVersion .live-responses-table tr.response .response-col_description pre")))
	if err := errors.Join(err1, err2); err != nil {
		t.Fatalf("public docs: the answer to GET /version: %v", err)
	}
	if strings.TrimSpace(status) != "200" || !strings.Contains(body, `"name": "public"`) {
		t.Errorf("public docs: GET /version answered %q %q, want 200 and the version", status, body)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(screenshots, "public-docs-try-version.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("public docs: GET /version tried from the page; screenshot in example_service/%s", shot)
}

// startBrowser starts Chromium for the test and returns its context. On a
// machine busy with other tests Chromium can die while it starts, so it gets
// three tries; the browser is stopped when the test ends.
func startBrowser(t *testing.T, parent context.Context, opts []chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	var errs []error
	for try := 1; try <= 3; try++ {
		actx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
		ctx, cancelBrowser := chromedp.NewContext(actx)
		err := chromedp.Do(ctx) // starts the browser
		if err == nil {
			t.Cleanup(func() {
				cancelBrowser()
				cancelAlloc()
			})
			return ctx
		}
		cancelBrowser()
		cancelAlloc()
		errs = append(errs, fmt.Errorf("try %d: %w", try, err))
	}
	t.Fatalf("Chromium does not start: %v", errors.Join(errs...))
	return nil
}

// findChromium returns the path of Chromium, or skips the test when the
// machine has none.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium found (chromium, chromium-browser, google-chrome or headless-shell on PATH): install the Debian package chromium to run the browser test")
	return ""
}
