package klue_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// A schema reached through allOf keeps every constraint of its target,
// unless the discriminator rules make the schema one of the target's
// subtypes.
func TestDiscriminatorWrapperKeepsConstraints(t *testing.T) {
	t.Parallel()
	// Base with oneOf: the subtypes are those its oneOf lists.
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    MenuItem:
      type: object
      required: [category]
      properties: {category: {type: string}, name: {type: string}}
      discriminator: {propertyName: category}
      oneOf: [{$ref: '#/components/schemas/Beverage'}, {$ref: '#/components/schemas/Dessert'}]
    Beverage:
      allOf:
        - $ref: '#/components/schemas/MenuItem'
        - {properties: {volume: {type: integer}}, required: [volume]}
    Dessert:
      allOf:
        - $ref: '#/components/schemas/MenuItem'
        - {properties: {sweet: {type: boolean}}, required: [sweet]}
    OrderItem:
      type: object
      properties:
        menuItem:
          allOf: [{$ref: '#/components/schemas/MenuItem'}]
          readOnly: true
    Special:
      description: a named wrapper, not in MenuItem's oneOf
      allOf: [{$ref: '#/components/schemas/MenuItem'}]
`)
	checkModel(t, api, "OrderItem", klue.ForResponse, []valueCase{
		{`{"menuItem": {"category": "Beverage", "volume": 33}}`, true},
		{`{"menuItem": {"category": "Dessert", "sweet": true}}`, true},
		{`{"menuItem": {"category": "Beverage", "sweet": true}}`, false},
		{`{"menuItem": {"category": "Soup"}}`, false},
		{`{"menuItem": {"category": "Special"}}`, false},
	})
	for _, model := range []string{"Special", "MenuItem"} {
		checkModel(t, api, model, klue.Neutral, []valueCase{
			{`{"category": "Dessert", "sweet": false}`, true},
			{`{"category": "Soup"}`, false},
			{`{"category": "Special"}`, false},
			{`{"category": "Dessert"}`, false},
		})
	}
	// A subtype still checks its own part and its base's.
	checkModel(t, api, "Beverage", klue.Neutral, []valueCase{
		{`{"category": "Beverage", "volume": 33}`, true},
		{`{"category": "Beverage"}`, false},
		{`{"volume": 33}`, false},
	})

	// Base without oneOf (allOf inheritance): a wrapper that is no named
	// schema is no subtype, and dispatches as its target does.
	api = addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Pet:
    type: object
    discriminator: petType
    required: [petType]
    properties: {petType: {type: string}}
  Cat:
    allOf:
      - $ref: '#/definitions/Pet'
      - {required: [huntingSkill], properties: {huntingSkill: {type: string}}}
  Owner:
    type: object
    properties:
      pet: {allOf: [{$ref: '#/definitions/Pet'}], description: the pet}
`)
	checkModel(t, api, "Owner", klue.Neutral, []valueCase{
		{`{"pet": {"petType": "Cat", "huntingSkill": "lazy"}}`, true},
		{`{"pet": {"petType": "Cat"}}`, false},
		{`{"pet": {}}`, false},
	})

	// A description beside the subtype's $ref keeps it a subtype; a
	// mapping target the oneOf does not list still meets the oneOf.
	api = addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [kind]
      properties: {kind: {type: string}}
      discriminator: {propertyName: kind, mapping: {lizard: '#/components/schemas/Lizard'}}
      oneOf: [{$ref: '#/components/schemas/Cat'}]
    Cat:
      allOf:
        - {$ref: '#/components/schemas/Pet', description: the base}
        - {required: [lives], properties: {lives: {type: integer}}}
    Lizard:
      allOf: [{$ref: '#/components/schemas/Pet'}, {required: [scales]}]
`)
	checkModel(t, api, "Pet", klue.Neutral, []valueCase{
		{`{"kind": "Cat", "lives": 9}`, true},
		{`{"kind": "Cat"}`, false},
		{`{"kind": "lizard", "scales": 1, "lives": 9}`, false},
	})
	checkModel(t, api, "Cat", klue.Neutral, []valueCase{{`{"kind": "Cat", "lives": 9}`, true}, {`{"kind": "Cat"}`, false}})
	checkModel(t, api, "Lizard", klue.Neutral, []valueCase{
		{`{"kind": "lizard", "scales": 1, "lives": 9}`, true},
		{`{"kind": "lizard", "scales": 1}`, false},
	})
}

// The dispatch a discriminator makes never replaces a constraint the
// schema states otherwise.
func TestDiscriminatorDispatchKeepsAlternatives(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Cat: {type: object, required: [kind], properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}, bark: {type: string}}}
    Lizard: {type: object, required: [kind], properties: {kind: {type: string}, scales: {type: integer}}}
    Small: {type: object, properties: {size: {type: integer, maximum: 3}}}
    Named: {type: object, required: [name]}
    # A mapping target that the oneOf does not list.
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping: {lizard: '#/components/schemas/Lizard'}
    Tabby: {type: object, required: [kind, lives], properties: {lives: {type: integer}}}
    Hound: {type: object, required: [kind, bark], properties: {bark: {type: string}}}
    # oneOf and anyOf side by side: both hold, as JSON Schema says.
    Both:
      oneOf: [{$ref: '#/components/schemas/Tabby'}, {$ref: '#/components/schemas/Hound'}]
      anyOf: [{$ref: '#/components/schemas/Small'}, {$ref: '#/components/schemas/Named'}]
      discriminator: {propertyName: kind}
`)
	checkModel(t, api, "Pet", klue.Neutral, []valueCase{
		{`{"kind": "Cat", "lives": 9}`, true},
		{`{"kind": "lizard", "scales": 3, "lives": "nine", "bark": 1}`, false},
		{`{"kind": "lizard", "scales": 3}`, false},
	})
	checkModel(t, api, "Both", klue.Neutral, []valueCase{
		{`{"kind": "Tabby", "lives": 9, "size": 1}`, true},
		{`{"kind": "Tabby", "lives": 9, "name": "Tom", "size": 9}`, true},
		{`{"kind": "Tabby", "lives": 9, "size": 9}`, false},
		{`{"kind": "Hound", "bark": 1, "name": "Rex"}`, false},
		{`{"kind": "Tabby", "lives": 9, "bark": "woof", "name": "Tom"}`, false},
	})
}
