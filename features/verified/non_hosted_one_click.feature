@verified @v1
Feature: Non-hosted 1-Click Signup
  With `isHosted: false` the brand keeps the user on its own pages: it sends the user's phone
  and birth date, and when they match a Verified user the data comes back at once, with a
  1-Click uuid for later updates. No wallet, no SMS.
  ([verified-api-ref] § 1-Click: "(Optional) User's birthDate. Only required if you
  are using the non-hosted integration"; § Update 1-Click Credentials: "POST /1-click (both
  trusted and non-hosted)")

  Background:
    Given the verified API

  Scenario: Phone and birth date match: the data comes back at once
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1989-08-01",
       "credentialRequests": [{"type": "FullNameCredential", "children": [{"type": "FirstNameCredential"}, {"type": "LastNameCredential"}]}]}
      """
    Then the response status is 201
    And "$.match" is true
    And "$.uuid" matches "^[0-9a-f-]{36}$"
    And "$.url" does not exist
    And "$.smsBody" does not exist
    And "$.identifiers.phone" is "+10123456789"
    And "$.credentials.fullName.firstName" is "Richard"
    And "$.credentials.fullName.lastName" is "Hendricks"
    And "$.metadata.credentials.id.fullName.lastName" exists

  Scenario: The data can be read again with the uuid
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1989-08-01"}
      """
    And I remember "$.uuid" as one_click
    And I send GET /1-click/{one_click}
    Then the response status is 200
    And "$.identifiers.phone" is "+10123456789"
    And "$.credentials.fullName.firstName" is "Richard"

  Scenario: Without a birth date Verified asks for it (OCE011)
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false}
      """
    Then the response status is 400
    And the request broke the contract with "required" at "/body/birthDate"
    And "$.name" is "BadRequest"
    And "$.className" is "bad-request"
    And "$.data.errorCode" is "OCE011"
    And "$.message" is "Additional information is required to source data for user: birthDate"
    And "$.data.additionalInputs" is ["birthDate"]

  Scenario: A birth date that does not match is OCE012
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1990-01-01"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE012"

  Scenario: An unknown phone is no match
    When I send POST /1-click
      """
      {"phone": "+10000000001", "isHosted": false, "birthDate": "1989-08-01"}
      """
    Then the response status is 201
    And "$.match" is false
    And "$.uuid" does not exist

  Scenario: A mandatory credential the user does not have is OCE007
    When I send POST /1-click
      """
      {"phone": "+10123456789", "isHosted": false, "birthDate": "1989-08-01",
       "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}, {"type": "GovernmentIdCredential", "mandatory": "yes"}]}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE007"
