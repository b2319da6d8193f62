package gen_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/internal/gen"
)

func TestIdentifier(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"pet", "Pet"},
		{"pet_id", "PetID"},
		{"petId", "PetID"},
		{"userIDs", "UserIDs"},
		{"ids", "IDs"},
		{"image_urls", "ImageURLs"},
		{"ApiResponse", "APIResponse"},
		{"HTTPServer", "HTTPServer"},
		{"io.k8s.api.core.v1.Pod", "IoK8sAPICoreV1Pod"},
		{"io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "IoK8sApimachineryPkgAPIsMetaV1ObjectMeta"},
		{"v1beta1", "V1beta1"},
		{"api.v2010.account.call", "APIV2010AccountCall"},
		{"x-kubernetes-list-type", "XKubernetesListType"},
		{"Content-Type", "ContentType"},
		{"DateCreated<", "DateCreatedLt"},
		{"DateCreated>=", "DateCreatedGtEq"},
		{"$ref", "Ref"},
		{"@type", "Type"},
		{"200", "X200"},
		{"2fa", "X2fa"},
		{"+1", "Plus1"},
		{"-1", "Minus1"},
		{"-created_at", "MinusCreatedAt"},
		{"", "Empty"},
		{"*", "Star"},
		{"café", "Café"},
		{"日本", "X日本"},
		{"type", "Type"},
		{"func", "Func"},
	}
	for _, tt := range tests {
		if got := gen.Identifier(tt.in); got != tt.want {
			t.Errorf("Identifier(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
