@truework
Feature: invalid_fields nested as Truework's SDK types it
  Truework's SDK types the 400 body's `invalid_fields` recursively (`InvalidFields = { [field:
  string]: InvalidFields | string[] }`, tests/vendor-evidence/truework/, contracts/NOTES.md §
  Vendor evidence > Truework): a bad member of `target` is named inside `target`. Reasons about
  an object itself, beside its members' reasons, are its `non_field_errors`, so every member is
  either a list of reasons or a map of members; reasons about the body itself are the top-level
  `non_field_errors`.

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario: Bad members of target are named inside target
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31",
                  "company": {"id": ""}}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.target.first_name[0]" matches "^minLength"
    And "$.error.invalid_fields.target.company.id[0]" matches "^minLength"
    And "$.error.invalid_fields.target.last_name" does not exist
    And "$.error.invalid_fields['target.first_name']" does not exist

  Scenario: An object with reasons of its own and bad members keeps its own under non_field_errors
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"},
       "reseller_originating_party": {"originating_party": ""}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.reseller_originating_party.originating_party[0]" matches "^minLength"
    And "$.error.invalid_fields.reseller_originating_party.non_field_errors[0]" matches "non-reseller"

  Scenario: Reasons about the body itself are the top-level non_field_errors
    When I send POST /credentials/session
      """
      "employment"
      """
    Then the response status is 400
    And "$.error.invalid_fields.non_field_errors[0]" matches "^type"

  Scenario: A target without contact_email, as the SDK's README example sends it
    # truework-sdk-node README.md § credentials.createSession (tests/vendor-evidence/truework/008);
    # its type requires the member, its example omits it: contracts/NOTES.md § Truework, Choices.
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Megan", "last_name": "Rapinoe", "social_security_number": "000-20-0000",
                  "date_of_birth": "2020-02-02", "company": {"name": "USWNT"}}}
      """
    Then the response status is 201
    And "$.token" matches "^.+$"

  Scenario: A target of names and SSN only, as the 2019-10-15 reference example sends it
    # truework.com/docs/api-reference/versions/2019-10-15/get-credentials-session (tests/vendor-evidence/truework/009)
    When I send POST /credentials/session
      """
      {"permissible_purpose": "child-support", "type": "employment-income", "use_case": "mortgage",
       "target": {"first_name": "Jane", "last_name": "Doe", "social_security_number": "000-00-0000"}}
      """
    Then the response status is 201
    And "$.token" matches "^.+$"

  Scenario: A target without its SSN is still refused
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1990-01-31"}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.target.social_security_number[0]" matches "^required"
    And "$.error.invalid_fields.target.date_of_birth" does not exist
