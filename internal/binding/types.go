package binding

import (
	"encoding"
	"encoding/json"
	"reflect"
	"time"
)

// The Go types that binding, the server and the client recognise by
// identity, to read and write values their own way.
var (
	TextUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
	TextMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	JSONUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	JSONMarshalerType   = reflect.TypeFor[json.Marshaler]()
	TimeType            = reflect.TypeFor[time.Time]()
	BytesType           = reflect.TypeFor[[]byte]()
	RawMessageType      = reflect.TypeFor[json.RawMessage]()
)
