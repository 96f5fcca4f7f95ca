@truework
Feature: Invalid field values are named in invalid_fields
  A body that breaks a documented rule gets 400 "Invalid field values provided", and
  `invalid_fields` names each bad field, nested as the body nests them (`{"target":
  {"date_of_birth": [...]}}`, as Truework's SDK types it), with the reasons it was rejected;
  reasons about the body itself are its `non_field_errors`. Nothing is created.
  Source: [truework-session] § Request, § Errors 400; SUPPLEMENT.md (required
  members, `target` members, the 400 body).

  Background:
    Given the truework API
    And the request header "Accept" is "application/json; version=2020-12-07"

  Scenario Outline: <kind> is a 400 naming <field>
    When I send POST /credentials/session
      """
      <body>
      """
    Then the response status is 400
    And "$.error.message" is "Invalid field values provided"
    And "$.error.invalid_fields.<field>[0]" matches "^<reason>"

    Examples:
      | kind                                | field                          | reason    | body |
      | an undocumented type                | type                           | enum      | {"type": "income", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a missing type                      | type                           | required  | {"permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | an undocumented permissible purpose | permissible_purpose            | enum      | {"type": "employment", "permissible_purpose": "curiosity", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a missing permissible purpose       | permissible_purpose            | required  | {"type": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | an undocumented use case            | use_case                       | enum      | {"type": "employment", "permissible_purpose": "employment", "use_case": "boat", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a missing use case                  | use_case                       | required  | {"type": "employment", "permissible_purpose": "employment", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a missing target                    | target                         | required  | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage"} |
      | a target that is not an object      | target                         | type      | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": "Ann Lee"} |
      | an empty first name                 | target.first_name              | minLength | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a missing last name                 | target.last_name               | required  | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a malformed SSN                     | target.social_security_number  | pattern   | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a missing SSN                       | target.social_security_number  | required  | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}} |
      | a malformed contact email           | target.contact_email           | format    | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann-at-example.com", "date_of_birth": "1990-01-31"}} |
      | a birth date not in YYYY-MM-DD      | target.date_of_birth           | format    | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "31/01/1990"}} |
      | a company with neither id nor name  | target.company.name            | required  | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31", "company": {}}} |
      | a company with an empty id          | target.company.id              | minLength | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31", "company": {"id": ""}}} |
      | nested metadata                     | metadata.loan                  | type      | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}, "metadata": {"loan": {"id": "42"}}} |
      | a number in metadata                | metadata.amount                | type      | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}, "metadata": {"amount": 42}} |
      | a boolean in metadata               | metadata.vip                   | type      | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}, "metadata": {"vip": true}} |
      | a list in metadata                  | metadata.tags                  | type      | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}, "metadata": {"tags": ["a"]}} |
      | metadata that is not a map          | metadata                       | type      | {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage", "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000", "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"}, "metadata": "internal_id=12345"} |
      | a body that is not an object        | non_field_errors               | type      | [{"type": "employment"}] |

  Scenario: Flat metadata of strings and nulls is accepted
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "000-20-0000",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-01-31"},
       "metadata": {"internal_id": "12345", "branch": "", "note": null}}
      """
    Then the response status is 201

  Scenario: Every bad field is named at once
    When I send POST /credentials/session
      """
      {"type": "income", "permissible_purpose": "employment",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "12345",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-02-30"},
       "metadata": {"loan": {"id": "42"}, "ok": "yes"}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.type[0]" matches "^enum"
    And "$.error.invalid_fields.use_case[0]" matches "^required"
    And "$.error.invalid_fields.target.social_security_number[0]" matches "^pattern"
    And "$.error.invalid_fields.target.date_of_birth[0]" matches "^format"
    And "$.error.invalid_fields.metadata.loan[0]" matches "^type"
    And "$.error.invalid_fields.permissible_purpose" does not exist
    And "$.error.invalid_fields.target.first_name" does not exist
    And "$.error.invalid_fields.metadata.ok" does not exist

  Scenario: Reason texts never echo the SSN or the birth date
    When I send POST /credentials/session
      """
      {"type": "employment", "permissible_purpose": "employment", "use_case": "mortgage",
       "target": {"first_name": "Ann", "last_name": "Lee", "social_security_number": "987-65-43",
                  "contact_email": "ann@example.com", "date_of_birth": "1990-13-45"}}
      """
    Then the response status is 400
    And "$.error.invalid_fields.target.social_security_number[0]" matches "^pattern: expected a match for /.*/$"
    And "$.error.invalid_fields.target.date_of_birth[0]" matches "^format: expected format `date`$"
