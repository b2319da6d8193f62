package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.opentelemetry.io/otel/metric"

	"github.com/klue-go/klue-client-server/internal/opmetrics"
)

// metricsSide names the client's instruments.
var metricsSide = opmetrics.Side{
	Meter:    "github.com/klue-go/klue-client-server/klue/client",
	Prefix:   "klue.client",
	Requests: "Calls made, by operation and status class of their answer (none: no answer).",
	Duration: "How long calls took, attempts and waits included, by operation and status class.",
	InFlight: "Calls under way, by operation.",
	Route:    "url.template",
	NoStatus: "none",
}

func newInstruments(mp metric.MeterProvider) (*opmetrics.Instruments, error) {
	in, err := opmetrics.New(mp, metricsSide)
	if err != nil {
		return nil, fmt.Errorf("client.WithMetrics: %w", err)
	}
	return in, nil
}

// measurement is a call being measured; its zero value measures nothing.
type measurement struct {
	m     *opmetrics.Instruments
	om    *opmetrics.Operation
	start time.Time
}

// measured counts the call in flight and returns its measurement, to end
// once over.
func (cl *call) measured() measurement {
	m, om := cl.c.metrics, cl.info.metrics
	if m == nil || om == nil {
		return measurement{}
	}
	om.Start()
	return measurement{m: m, om: om, start: time.Now()}
}

// end records the call with its answer o or its error.
func (ms measurement) end(ctx context.Context, o *outcome, err error) {
	if ms.om == nil {
		return
	}
	status := 0
	var ce *CallError
	switch {
	case o != nil:
		status = o.status
	case errors.As(err, &ce):
		status = ce.Status
	}
	ms.m.Done(ctx, ms.om, status, time.Since(ms.start))
}
