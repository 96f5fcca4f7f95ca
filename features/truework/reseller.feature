@truework
Feature: Resellers say whom they act for
  `reseller_originating_party` is "Required for reseller requests, should not be provided for
  non-reseller requests". Which requests are reseller requests depends on the token, so the
  mock seeds a reseller token (features/truework/README.md). Either mistake is a 400 that
  names `reseller_originating_party` beside any other bad field.
  Source: [truework-session] § Request `reseller_originating_party`.

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario: An ordinary token may not send an originating party
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"},
       "reseller_originating_party": {"name": "Example Lender"}}
      """
    Then the response status is 400
    And "$.error.message" is "Invalid field values provided"
    And "$.error.invalid_fields.reseller_originating_party[0]" matches "non-reseller"

  # vouch-reseller-token is seeded in the mock (features/truework/README.md).
  @mock-only
  Scenario: A reseller token with an originating party creates a session
    Given I use the credential "vouch-reseller-token"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"},
       "reseller_originating_party": {"name": "Example Lender"}}
      """
    Then the response status is 201
    And "$.token" matches "^.+$"

  # vouch-reseller-token is seeded in the mock (features/truework/README.md).
  @mock-only
  Scenario: A reseller token without an originating party is a 400
    Given I use the credential "vouch-reseller-token"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.reseller_originating_party[0]" matches "required for reseller requests"

  # vouch-reseller-token is seeded in the mock (features/truework/README.md).
  @mock-only
  Scenario: A reseller's empty originating party is a 400
    Given I use the credential "vouch-reseller-token"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"},
       "reseller_originating_party": {}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.reseller_originating_party[0]" matches "empty"

  # vouch-reseller-token is seeded in the mock (features/truework/README.md).
  @mock-only
  Scenario: The reseller rule is named together with the other bad fields
    Given I use the credential "vouch-reseller-token"
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "spaceships",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.use_case[0]" matches "^enum"
    And "$.error.invalid_fields.reseller_originating_party[0]" matches "required for reseller requests"

  Scenario: An originating party that is not an object is named with both reasons
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"},
       "reseller_originating_party": "Example Lender"}
      """
    Then the response status is 400
    And "$.error.invalid_fields.reseller_originating_party[0]" matches "^type"
    And "$.error.invalid_fields.reseller_originating_party[1]" matches "non-reseller"
