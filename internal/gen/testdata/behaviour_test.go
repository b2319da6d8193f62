package conform_test

// This file is copied into the module the corpus test generates, beside
// the packages generated from testdata: it checks what the generated types
// do, and serves and calls features.yaml with them.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"

	"kluegen.test/featuresapi"
	"kluegen.test/files31api"
	"kluegen.test/oas31api"
	"kluegen.test/roundtripapi"
	"kluegen.test/swaggerapi"
)

// jsonCase is a JSON document, what it decodes into, and what it encodes
// back to ("" for the document itself).
type jsonCase[T any] struct {
	in    string
	check func(T) bool
	out   string
}

func runJSON[T any](t *testing.T, cases []jsonCase[T]) {
	t.Helper()
	for _, c := range cases {
		var v T
		if err := json.Unmarshal([]byte(c.in), &v); err != nil {
			t.Errorf("decoding %s into %T: %v", c.in, v, err)
			continue
		}
		if !c.check(v) {
			t.Errorf("%s decoded into %+v", c.in, v)
		}
		out, err := json.Marshal(v)
		if err != nil {
			t.Errorf("encoding %+v: %v", v, err)
			continue
		}
		want := c.out
		if want == "" {
			want = c.in
		}
		if string(out) != want {
			t.Errorf("%s came back as %s, want %s", c.in, out, want)
		}
	}
}

func TestUnionWithDiscriminator(t *testing.T) {
	t.Parallel()
	runJSON(t, []jsonCase[featuresapi.Shape]{
		{in: `{"kind":"circle","radius":2}`, check: func(s featuresapi.Shape) bool { return s.Circle != nil && s.Circle.Radius == 2 && s.Square == nil }},
		{in: `{"kind":"square","side":3}`, check: func(s featuresapi.Shape) bool { return s.Square != nil && s.Square.Side == 3 && s.Circle == nil }},
		// The discriminator wins over the members: Circle would take
		// these first.
		{in: `{"kind":"square","side":2,"radius":1}`, out: `{"kind":"square","side":2}`,
			check: func(s featuresapi.Shape) bool { return s.Square != nil && s.Square.Side == 2 && s.Circle == nil }},
		// An unknown kind: the first type that takes every member.
		{in: `{"kind":"blob","side":1}`, check: func(s featuresapi.Shape) bool { return s.Square != nil }},
		{in: `null`, check: func(s featuresapi.Shape) bool { return s.Circle == nil && s.Square == nil }},
	})
	var s featuresapi.Shape
	if err := json.Unmarshal([]byte(`"round"`), &s); err == nil {
		t.Errorf("a string decoded into a Shape: %+v", s)
	}
}

func TestUnionByTrial(t *testing.T) {
	t.Parallel()
	runJSON(t, []jsonCase[featuresapi.Value]{
		{in: `"x"`, check: func(v featuresapi.Value) bool { return v.String != nil && *v.String == "x" && v.Int == nil }},
		{in: `42`, check: func(v featuresapi.Value) bool { return v.Int != nil && *v.Int == 42 && v.String == nil }},
		{in: `["a","b"]`, check: func(v featuresapi.Value) bool { return len(v.StringList) == 2 }},
		{in: `[]`, check: func(v featuresapi.Value) bool { return v.StringList != nil && len(v.StringList) == 0 }},
	})
	for _, bad := range []string{`{}`, `1.5`, `true`} {
		var v featuresapi.Value
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded into a Value: %+v", bad, v)
		}
	}
}

func TestPolymorphicBase(t *testing.T) {
	t.Parallel()
	runJSON(t, []jsonCase[swaggerapi.Pet]{
		{in: `{"name":"Tom","petType":"Cat","huntingSkill":"lazy"}`,
			check: func(p swaggerapi.Pet) bool {
				return p.Cat != nil && p.Cat.HuntingSkill == swaggerapi.CatHuntingSkillLazy && p.Dog == nil
			}},
		{in: `{"name":"Rex","petType":"Dog","packSize":3}`, check: func(p swaggerapi.Pet) bool { return p.Dog != nil && p.Dog.PackSize == 3 }},
		{in: `{"name":"Nemo","petType":"Fish"}`, check: func(p swaggerapi.Pet) bool { return p.PetBase != nil && p.PetBase.Name == "Nemo" }},
	})
}

func TestAdditionalProperties(t *testing.T) {
	t.Parallel()
	runJSON(t, []jsonCase[featuresapi.Counts]{
		{in: `{"total":3,"b":2,"a":1}`, out: `{"total":3,"a":1,"b":2}`,
			check: func(c featuresapi.Counts) bool {
				return c.Total == 3 && len(c.AdditionalProperties) == 2 && c.AdditionalProperties["a"] == 1
			}},
		{in: `{"total":0}`, check: func(c featuresapi.Counts) bool { return c.AdditionalProperties == nil }},
	})
	runJSON(t, []jsonCase[featuresapi.IoExampleV1Thing]{
		{in: `{"-":"dash","+1":1,"-1":2,"@type":"t","type":"u","odd,name":"kept"}`,
			out: `{"+1":1,"-1":2,"@type":"t","type":"u","-":"dash","odd,name":"kept"}`,
			check: func(v featuresapi.IoExampleV1Thing) bool {
				return v.AdditionalProperties["-"] == "dash" && *v.Plus1 == 1 && *v.Minus1 == 2 && *v.AtType == "t" && *v.Type == "u" &&
					v.AdditionalProperties["odd,name"] == "kept"
			}},
	})
	var c featuresapi.Counts
	if err := json.Unmarshal([]byte(`{"total":1,"x":"not a number"}`), &c); err == nil {
		t.Errorf("a string decoded as an additional integer: %+v", c)
	}
}

func TestOptionalAndNullable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    any
		want string
	}{
		{featuresapi.NewPet{Name: "Rex"}, `{"name":"Rex"}`},
		{featuresapi.NewPet{Name: "Rex", Tags: []string{}, Labels: map[string]string{}}, `{"name":"Rex","tags":[],"labels":{}}`},
		{featuresapi.Nullable{}, `{"always":null}`},
		{featuresapi.Nullable{Sometimes: klue.Null[string](), List: klue.Some([]*int{nil})}, `{"always":null,"sometimes":null,"list":[null]}`},
		{featuresapi.Nullable{List: klue.Null[[]*int]()}, `{"always":null,"list":null}`},
		{featuresapi.Letter{To: "a", Body: "b"}, `{"to":"a","body":"b"}`},
		{oas31api.Event{ID: "e", At: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}, `{"id":"e","at":"2024-01-02T03:04:05Z","note":null}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.v)
		if err != nil || string(got) != tt.want {
			t.Errorf("%+v encoded as %s, %v; want %s", tt.v, got, err, tt.want)
		}
	}
}

func TestDatesAndEnums(t *testing.T) {
	t.Parallel()
	in := `{"name":"Rex","id":7,"status":"sold","born":"2020-02-29","updated":"2024-05-06T07:08:09.5+02:00","photo":"aGk="}`
	var p featuresapi.Pet
	if err := json.Unmarshal([]byte(in), &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != featuresapi.PetStatusSold || *p.Born != (klue.Date{Year: 2020, Month: time.February, Day: 29}) ||
		p.Updated.Value.UTC().Hour() != 5 || string(p.Photo) != "hi" || *p.ID != 7 {
		t.Errorf("decoded %+v", p)
	}
	if err := json.Unmarshal([]byte(`{"name":"Rex","status":"sold","born":"2021-02-29"}`), &p); err == nil {
		t.Error("February 29th, 2021 decoded")
	}
}

func TestRecursiveTypes(t *testing.T) {
	t.Parallel()
	runJSON(t, []jsonCase[featuresapi.Node]{
		{in: `{"name":"root","children":[{"name":"leaf","children":[],"parent":{"name":"root","children":[]}}]}`,
			check: func(n featuresapi.Node) bool { return n.Children[0].Parent.Name == "root" }},
	})
	l := featuresapi.Link{Next: &featuresapi.Chain{Link: &featuresapi.Link{}}}
	if l.Next.Link.Next != nil {
		t.Error("a zero Link holds a Chain")
	}
}

// TestServeAndCall binds handlers to the generated keys, spawns the
// API, and calls it through the klue client with the same keys.
func TestServeAndCall(t *testing.T) {
	t.Parallel()
	file, err := filepath.Abs(specs["featuresapi"].file)
	if err != nil {
		t.Fatal(err)
	}
	pool := klue.NewPool()
	if err := pool.Add("features", klue.File(file)); err != nil {
		t.Fatal(err)
	}
	pets := map[int64]featuresapi.Pet{}
	server.Bind(pool, featuresapi.CreatePet, func(_ context.Context, np *featuresapi.NewPet) (*featuresapi.Pet, error) {
		id := int64(len(pets) + 1)
		p := featuresapi.Pet{ID: &id, Name: np.Name, Tag: np.Tag, Tags: np.Tags, Status: featuresapi.PetStatusAvailable}
		pets[id] = p
		return &p, nil
	})
	server.Bind(pool, featuresapi.GetPet, func(_ context.Context, r *featuresapi.GetPetRequest) (*featuresapi.Pet, error) {
		p, ok := pets[r.ID]
		if !ok {
			return nil, klue.Errorf(http.StatusNotFound, "no such pet")
		}
		if r.XRequestID != nil {
			p.Tag = r.XRequestID
		}
		if r.IDQuery != nil {
			p.Tags = append(p.Tags, "query:"+*r.IDQuery)
		}
		return &p, nil
	})
	server.Bind(pool, featuresapi.ListPets, func(_ context.Context, r *featuresapi.ListPetsRequest) (*[]featuresapi.Pet, error) {
		out := []featuresapi.Pet{}
		for id := int64(1); id <= int64(len(pets)); id++ {
			p := pets[id]
			for _, s := range r.Status {
				if string(s) == string(p.Status) {
					out = append(out, p)
				}
			}
		}
		if r.Limit != 20 {
			return nil, errors.New("the default limit was not applied")
		}
		return &out, nil
	})
	server.Bind(pool, featuresapi.DeletePet, func(_ context.Context, r *featuresapi.DeletePetRequest) (*struct{}, error) {
		delete(pets, r.ID)
		return &struct{}{}, nil
	})
	server.Bind(pool, featuresapi.UploadPhoto, func(_ context.Context, r *featuresapi.UploadPhotoRequest) (*featuresapi.UploadPhotoResponse, error) {
		data, err := io.ReadAll(r.File)
		if err != nil {
			return nil, err
		}
		return &featuresapi.UploadPhotoResponse{Size: int64(len(data)) + r.ID*1000, Caption: r.Caption}, nil
	})
	server.Bind(pool, featuresapi.PutRaw, func(_ context.Context, r *featuresapi.PutRawRequest) (*[]byte, error) {
		out := append([]byte(strings.ToUpper(string(r.Body))), '!')
		return &out, nil
	})
	var feedback []string
	server.Bind(pool, featuresapi.PostFeedback, func(_ context.Context, r *featuresapi.PostFeedbackRequest) (*struct{}, error) {
		stars := 0
		if r.Stars != nil {
			stars = int(*r.Stars)
		}
		feedback = append(feedback, strings.Repeat("*", stars)+r.Message)
		return &struct{}{}, nil
	})
	server.Bind(pool, featuresapi.DrawShape, func(_ context.Context, s *featuresapi.Shape) (*featuresapi.DrawShapeResponse, error) {
		switch {
		case s.Circle != nil:
			return &featuresapi.DrawShapeResponse{Area: 3 * s.Circle.Radius * s.Circle.Radius}, nil
		case s.Square != nil:
			return &featuresapi.DrawShapeResponse{Area: s.Square.Side * s.Square.Side}, nil
		}
		return nil, klue.Errorf(http.StatusBadRequest, "no shape")
	})
	server.Bind(pool, featuresapi.SendLetter, func(_ context.Context, r *featuresapi.SendLetterRequest) (*featuresapi.Letter, error) {
		return &featuresapi.Letter{To: r.Body.To, Body: strings.ToUpper(r.Body.Body)}, nil
	})
	server.Bind(pool, featuresapi.GetTree, func(_ context.Context, r *featuresapi.GetTreeRequest) (*featuresapi.Node, error) {
		root := &featuresapi.Node{Name: r.Name, Children: []featuresapi.Node{}}
		root.Children = append(root.Children, featuresapi.Node{Name: "leaf", Children: []featuresapi.Node{}, Parent: &featuresapi.Node{Name: r.Name, Children: []featuresapi.Node{}}})
		return root, nil
	})
	server.Bind(pool, featuresapi.UpdatePet, func(_ context.Context, r *featuresapi.UpdatePetRequest) (*featuresapi.Pet, error) {
		p := pets[r.ID]
		if r.Body != nil {
			p.Name = r.Body.Name
		}
		return &p, nil
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "features", server.WithoutDocs()); err != nil {
		t.Fatal(err)
	}
	if err := client.Configure(pool, "features", client.WithLocal(e)); err != nil {
		t.Fatal(err)
	}
	remote := pool.Client("features")
	ctx := context.Background()

	tag := "good"
	pet, err := client.CallWith(remote, featuresapi.CreatePet, &featuresapi.NewPet{Name: "Rex", Tag: &tag, Tags: []string{"a"}}).Do(ctx)
	if err != nil || *pet.ID != 1 || pet.Name != "Rex" || pet.Status != featuresapi.PetStatusAvailable {
		t.Fatalf("CreatePet: %+v, %v", pet, err)
	}
	rid, q := "123e4567-e89b-12d3-a456-426614174000", "x"
	pet, err = client.CallWith(remote, featuresapi.GetPet, &featuresapi.GetPetRequest{ID: 1, XRequestID: &rid, IDQuery: &q}).Do(ctx)
	if err != nil || *pet.Tag != rid || pet.Tags[len(pet.Tags)-1] != "query:x" {
		t.Errorf("GetPet: %+v, %v", pet, err)
	}
	_, err = client.CallWith(remote, featuresapi.GetPet, &featuresapi.GetPetRequest{ID: 9}).Do(ctx)
	var ke *klue.Error
	if !errors.As(err, &ke) || ke.Status != http.StatusNotFound {
		t.Errorf("GetPet of a missing pet: %v", err)
	}
	list, err := client.CallWith(remote, featuresapi.ListPets, &featuresapi.ListPetsRequest{
		Status: []featuresapi.ListPetsStatusItem{featuresapi.ListPetsStatusItemAvailable},
	}).Do(ctx)
	if err != nil || len(*list) != 1 {
		t.Errorf("ListPets: %+v, %v", list, err)
	}
	name := "Max"
	pet, err = client.CallWith(remote, featuresapi.UpdatePet, &featuresapi.UpdatePetRequest{ID: 1, Body: &featuresapi.NewPet{Name: name}}).Do(ctx)
	if err != nil || pet.Name != name {
		t.Errorf("UpdatePet: %+v, %v", pet, err)
	}
	raw, err := client.CallWith(remote, featuresapi.PutRaw, &featuresapi.PutRawRequest{ID: 1, Body: []byte("abc")}).Do(ctx)
	if err != nil || string(*raw) != "ABC!" {
		t.Errorf("PutRaw: %q, %v", raw, err)
	}
	stars := featuresapi.PostFeedbackStars4
	if _, err := client.CallWith(remote, featuresapi.PostFeedback, &featuresapi.PostFeedbackRequest{Message: "nice", Stars: &stars}).Do(ctx); err != nil ||
		len(feedback) != 1 || feedback[0] != "****nice" {
		t.Errorf("PostFeedback: %v, %q", err, feedback)
	}
	area, err := client.CallWith(remote, featuresapi.DrawShape, &featuresapi.Shape{Square: &featuresapi.Square{Kind: "square", Side: 3}}).Do(ctx)
	if err != nil || area.Area != 9 {
		t.Errorf("DrawShape: %+v, %v", area, err)
	}
	letter, err := client.CallWith(remote, featuresapi.SendLetter, &featuresapi.SendLetterRequest{Body: featuresapi.Letter{To: "Ann", Body: "hi"}}).Do(ctx)
	if err != nil || letter.Body != "HI" {
		t.Errorf("SendLetter: %+v, %v", letter, err)
	}
	tree, err := client.CallWith(remote, featuresapi.GetTree, &featuresapi.GetTreeRequest{Name: "oak"}).Do(ctx)
	if err != nil || tree.Children[0].Parent.Name != "oak" {
		t.Errorf("GetTree: %+v, %v", tree, err)
	}
	if _, err := client.CallWith(remote, featuresapi.DeletePet, &featuresapi.DeletePetRequest{ID: 1}).Do(ctx); err != nil || len(pets) != 0 {
		t.Errorf("DeletePet: %v, %d pets left", err, len(pets))
	}

	// A file upload, sent as any HTTP client would.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "photo.png")
	_, _ = fw.Write([]byte("12345"))
	_ = mw.WriteField("caption", "smile")
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/v1/pets/2/photo", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"size":2005,"caption":"smile"}` {
		t.Errorf("upload: %d %s", rec.Code, rec.Body)
	}
}

// TestServeFiles31 serves testdata/files31.yaml, whose file properties
// OpenAPI 3.1 tells by contentMediaType: each arrives as a file, with its
// name and content, alone, in an array and through allOf.
func TestServeFiles31(t *testing.T) {
	t.Parallel()
	file, err := filepath.Abs(specs["files31api"].file)
	if err != nil {
		t.Fatal(err)
	}
	pool := klue.NewPool()
	if err := pool.Add("files", klue.File(file)); err != nil {
		t.Fatal(err)
	}
	var got []string
	server.Bind(pool, files31api.Upload, func(_ context.Context, r *files31api.UploadRequest) (*struct{}, error) {
		files := append([]*server.File{r.Image, r.Thumb}, r.Images...)
		for _, f := range files {
			if f == nil {
				got = append(got, "nil")
				continue
			}
			data, err := io.ReadAll(f)
			if err != nil {
				return nil, err
			}
			got = append(got, f.Filename+"="+string(data))
		}
		if r.Caption != nil {
			got = append(got, "caption="+*r.Caption)
		}
		return &struct{}{}, nil
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "files", server.WithoutDocs()); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range [][2]string{{"image", "a.png"}, {"thumb", "t.png"}, {"images", "b.png"}, {"images", "c.png"}} {
		fw, _ := mw.CreateFormFile(part[0], part[1])
		_, _ = fw.Write([]byte(strings.TrimSuffix(part[1], ".png")))
	}
	_ = mw.WriteField("caption", "sky")
	_ = mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/upload", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	want := "a.png=a t.png=t b.png=b c.png=c caption=sky"
	if rec.Code != http.StatusNoContent || strings.Join(got, " ") != want {
		t.Errorf("upload: %d %s; the handler got %q, want %q", rec.Code, rec.Body, strings.Join(got, " "), want)
	}
}

// TestServeRoundTrip serves testdata/roundtrip.yaml with its generated
// types: a body of two media types is read from each, a defaulted
// parameter arrives filled in, a required nullable property answers null,
// and merged allOf properties travel whole.
func TestServeRoundTrip(t *testing.T) {
	t.Parallel()
	file, err := filepath.Abs(specs["roundtripapi"].file)
	if err != nil {
		t.Fatal(err)
	}
	pool := klue.NewPool()
	if err := pool.Add("rt", klue.File(file)); err != nil {
		t.Fatal(err)
	}
	server.Bind(pool, roundtripapi.EditImage, func(_ context.Context, r *roundtripapi.EditImageRequest) (*roundtripapi.Sample, error) {
		text := r.Prompt
		if r.Image != nil {
			text += "+" + *r.Image // the file's content
		}
		return &roundtripapi.Sample{Int32: 1, Text: text, Flag: r.Image != nil, Legacy: "kept"}, nil
	})
	server.Bind(pool, roundtripapi.ListRouters, func(_ context.Context, r *roundtripapi.ListRoutersRequest) (*roundtripapi.RouterPage, error) {
		if r.Limit != 20 || r.XTrace != "none" {
			return nil, fmt.Errorf("defaults not applied: %+v", r)
		}
		return &roundtripapi.RouterPage{Items: []roundtripapi.Router{}}, nil
	})
	server.Bind(pool, roundtripapi.CreateRouter, func(_ context.Context, r *roundtripapi.Router) (*roundtripapi.Router, error) {
		return r, nil
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "rt", server.WithoutDocs(), server.WithUnboundNotImplemented()); err != nil {
		t.Fatal(err)
	}
	serve := func(method, path, contentType string, body io.Reader) (int, string) {
		req := httptest.NewRequest(method, path, body)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec.Code, strings.TrimSpace(rec.Body.String())
	}

	code, out := serve(http.MethodPost, "/images/edits", "application/json", strings.NewReader(`{"prompt":"sky","images":["https://example.com/a"]}`))
	if code != http.StatusOK || out != `{"int32":1,"text":"sky","flag":false,"legacy":"kept"}` {
		t.Errorf("edit as JSON: %d %s", code, out)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("image", "a.png")
	_, _ = fw.Write([]byte("png"))
	_ = mw.WriteField("prompt", "sea")
	_ = mw.Close()
	code, out = serve(http.MethodPost, "/images/edits", mw.FormDataContentType(), &body)
	if code != http.StatusOK || out != `{"int32":1,"text":"sea+png","flag":true,"legacy":"kept"}` {
		t.Errorf("edit as multipart: %d %s", code, out)
	}

	code, out = serve(http.MethodGet, "/routers", "", nil)
	if code != http.StatusOK || out != `{"items":[],"next_cursor":null}` {
		t.Errorf("the last page: %d %s", code, out)
	}

	in := `{"path":{"id":"p1","created_at":"2024-01-02T03:04:05Z","kind":"router"},"name":"core"}`
	code, out = serve(http.MethodPost, "/routers", "application/json", strings.NewReader(in))
	if code != http.StatusCreated || out != in {
		t.Errorf("a router: %d %s, want %s", code, out, in)
	}
}

// strictCase is a document a generated UnmarshalJSON must read by JSON's
// rules as schemas do: member names matched exactly (never by case or
// Unicode folding), check holds then; or refuse (check is nil): a member
// name that comes twice, invalid UTF-8, a lone surrogate escape.
type strictCase[T any] struct {
	in    string
	check func(T) bool
}

func runStrict[T any](t *testing.T, cases []strictCase[T]) {
	t.Helper()
	for _, c := range cases {
		var v T
		// The method itself, as any decoder (encoding/json's included)
		// calls it with the bytes of the value.
		err := any(&v).(json.Unmarshaler).UnmarshalJSON([]byte(c.in))
		switch {
		case c.check == nil && err == nil:
			t.Errorf("%T took %q: %+v", v, c.in, v)
		case c.check != nil && err != nil:
			t.Errorf("%T refused %q: %v", v, c.in, err)
		case c.check != nil && !c.check(v):
			t.Errorf("%T read %q as %+v", v, c.in, v)
		}
	}
}

// TestDecodeIsStrict checks that the methods generated for unions (by
// discriminator or by trial), a polymorphic base and additional
// properties decode by the rules the validator judges by, so that no
// member the schema sees as another replaces a validated value.
func TestDecodeIsStrict(t *testing.T) {
	t.Parallel()
	circle := func(r float64) func(featuresapi.Shape) bool {
		return func(s featuresapi.Shape) bool {
			return s.Circle != nil && s.Circle.Radius == r && s.Circle.Kind == "circle" && s.Square == nil
		}
	}
	runStrict(t, []strictCase[featuresapi.Shape]{
		{in: `{"kind":"circle","radius":2,"RADIUS":100}`, check: circle(2)},
		{in: `{"kind":"circle","radius":2,"Radius":100}`, check: circle(2)},
		{in: `{"kind":"circle","radius":2,"radiu` + "\u017f" + `":100}`, check: circle(2)},
		{in: `{"kind":"circle","radius":2,"\u212aind":"square"}`, check: circle(2)},
		{in: `{"kind":"circle","radius":2,"` + "\u212a" + `ind":"square"}`, check: circle(2)},
		{in: `{"kind":"circle","radius":2,"radius":100}`},
		{in: `{"kind":"circle","kind":"square","radius":2,"side":3}`},
		{in: `{"kind":"circle","radius":2,"note":"` + "\xff" + `"}`},
		{in: `{"kind":"circle","radius":2,"note":"\ud800"}`},
		// No discriminator: the members decide.
		{in: `{"radius":2,"RADIUS":100}`, check: func(s featuresapi.Shape) bool { return s.Circle != nil && s.Circle.Radius == 2 }},
		{in: `{"radius":2,"radius":100}`},
	})
	runStrict(t, []strictCase[swaggerapi.Pet]{
		{in: `{"name":"Tom","petType":"Cat","huntingSkill":"lazy","NAME":"Jerry","huntingſkill":"aggressive"}`,
			check: func(p swaggerapi.Pet) bool {
				return p.Cat != nil && p.Cat.Name == "Tom" && p.Cat.HuntingSkill == swaggerapi.CatHuntingSkillLazy
			}},
		{in: `{"name":"Nemo","petType":"Fish","Name":"Dory"}`, check: func(p swaggerapi.Pet) bool { return p.PetBase != nil && p.PetBase.Name == "Nemo" }},
		{in: `{"name":"Nemo","petType":"Fish","name":"Dory"}`},
		{in: `{"name":"Tom","petType":"Cat","huntingSkill":"lazy","huntingSkill":"aggressive"}`},
	})
	runStrict(t, []strictCase[featuresapi.Value]{
		{in: `"x"`, check: func(v featuresapi.Value) bool { return v.String != nil && *v.String == "x" }},
		{in: `"` + "\xff" + `"`},
		{in: `"\udc00"`},
		{in: `["a","` + "\xc0\xaf" + `"]`},
	})
	runStrict(t, []strictCase[featuresapi.Counts]{
		{in: `{"total":3,"TOTAL":-5}`, check: func(c featuresapi.Counts) bool {
			return c.Total == 3 && len(c.AdditionalProperties) == 1 && c.AdditionalProperties["TOTAL"] == -5
		}},
		{in: `{"total":3,"totaL":-5}`, check: func(c featuresapi.Counts) bool {
			return c.Total == 3 && len(c.AdditionalProperties) == 1 && c.AdditionalProperties["totaL"] == -5
		}},
		{in: `{"total":3,"total":-5}`},
		{in: `{"total":3,"a":1,"a":2}`},
		{in: `{"total":3,"` + "\xff" + `":1}`},
		{in: `{"total":3,"\ud800":1}`},
	})
	runStrict(t, []strictCase[featuresapi.IoExampleV1Thing]{
		{in: `{"-":"dash","@TYPE":"t","Type":"u"}`, check: func(v featuresapi.IoExampleV1Thing) bool {
			return v.AdditionalProperties["-"] == "dash" && v.AtType == nil && v.Type == nil &&
				v.AdditionalProperties["@TYPE"] == "t" && v.AdditionalProperties["Type"] == "u"
		}},
		{in: `{"-":"dash","odd,name":"a","odd,name":"b"}`},
	})
}

// TestServeDecodesStrictly serves a union with a discriminator: a member
// whose name differs from a property's by case or Unicode folding is
// another member for the validator, and must be one for the handler too.
func TestServeDecodesStrictly(t *testing.T) {
	t.Parallel()
	file, err := filepath.Abs(specs["featuresapi"].file)
	if err != nil {
		t.Fatal(err)
	}
	pool := klue.NewPool()
	if err := pool.Add("features", klue.File(file)); err != nil {
		t.Fatal(err)
	}
	server.Bind(pool, featuresapi.DrawShape, func(_ context.Context, s *featuresapi.Shape) (*featuresapi.DrawShapeResponse, error) {
		switch {
		case s.Circle != nil:
			return &featuresapi.DrawShapeResponse{Area: 3 * s.Circle.Radius * s.Circle.Radius}, nil
		case s.Square != nil:
			return &featuresapi.DrawShapeResponse{Area: s.Square.Side * s.Square.Side}, nil
		}
		return nil, klue.Errorf(http.StatusBadRequest, "no shape")
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "features", server.WithoutDocs(), server.WithUnboundNotImplemented()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		in   string
		code int
		out  string
	}{
		{`{"kind":"circle","radius":2}`, http.StatusOK, `{"area":12}`},
		{`{"kind":"circle","radius":2,"RADIUS":100}`, http.StatusOK, `{"area":12}`},
		{`{"kind":"circle","radius":2,"radiu` + "\u017f" + `":100}`, http.StatusOK, `{"area":12}`},
		{`{"kind":"square","side":2,"SIDE":100}`, http.StatusOK, `{"area":4}`},
		{`{"kind":"square","side":2,"` + "\u017f" + `ide":100}`, http.StatusOK, `{"area":4}`},
		{`{"kind":"circle","radius":2,"radius":100}`, http.StatusBadRequest, ""},
		{`{"kind":"circle","radius":2,"note":"` + "\xff" + `"}`, http.StatusBadRequest, ""},
	} {
		req := httptest.NewRequest(http.MethodPost, "/v1/shapes", strings.NewReader(tt.in))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		out := strings.TrimSpace(rec.Body.String())
		if rec.Code != tt.code || (tt.out != "" && out != tt.out) {
			t.Errorf("%q: %d %s; want %d %s", tt.in, rec.Code, out, tt.code, tt.out)
		}
	}
}
