@verified @v2 @non-hosted
Feature: 1-Click v2, Non-Hosted
  A Non-Hosted brand verifies the phone itself and gets the data at once: POST answers
  `{uuid, identity}`. Only when the phone alone does not identify the user does POST answer
  OCE011, and the brand POSTs again with the birth date (a wrong one is OCE012). The brand's
  type decides, not `isHosted`.
  (VerifiedInc.github.io versioned_docs/version-2: integration-guide.mdx § Non-Hosted,
  reusables/when-step-is-necessary-admonition.mdx; contracts/research/verified-v2.md § 4.3)

  Background:
    Given the verified API
    And I use the "non-hosted" tenant's credentials

  Scenario: The phone alone gets the identity at once
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    Then the response status is 201
    And "$.uuid" matches "^[0-9a-f-]{36}$"
    And "$.url" does not exist
    And "$.code" does not exist
    And "$.identity.identifiers.phone" is "+10123456789"
    And "$.identity.credentials.fullName.firstName" is "Richard"
    And "$.identity.credentials.birthDate" is "617976000000"
    And "$.identity.credentials.address.zipCode" is "94303"
    And "$.identity.metadata.credentials.id.fullName.firstName" exists
    And "$.credentials" does not exist

  Scenario: GET with the uuid answers the same data again, flat
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I send GET /v2/1-click/{one_click_uuid}
    Then the response status is 200
    And "$.credentials.fullName.lastName" is "Hendricks"

  Scenario: A user the phone does not identify: OCE011, then POST again with the birth date
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE011"
    And "$.data.additionalInputs" is ["birthDate"]
    And "$.uuid" does not exist
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997", "birthDate": "1990-01-01"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE012"
    When I send POST /v2/1-click
      """
      {"phone": "+10019999997", "birthDate": "1989-08-01"}
      """
    Then the response status is 201
    And "$.identity.credentials.fullName.firstName" is "Gavin"

  Scenario: isHosted true does not make a Non-Hosted brand hosted
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789", "isHosted": true}
      """
    Then the response status is 201
    And "$.url" does not exist
    And "$.identity" exists

  Scenario: PATCH is for Semi-Hosted only (OCE001)
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And I send PATCH /v2/1-click/{one_click_uuid}
      """
      {"birthDate": "1989-08-01"}
      """
    Then the response status is 400
    And "$.data.errorCode" is "OCE001"

  Scenario: An unknown phone is OCE004
    When I send POST /v2/1-click
      """
      {"phone": "+10000000001"}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE004"

  @second-tenant
  Scenario: Another brand's uuid is not found
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    Given I use the second tenant's credentials
    When I send GET /v2/1-click/{one_click_uuid}
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"

  Scenario: PATCH on an unknown uuid is OCE015
    When I send PATCH /v2/1-click/{uuid}
      """
      {"birthDate": "1989-08-01"}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"

  @mock-only
  Scenario: Five minutes after the answer, the data is gone (OCE014)
    When I send POST /v2/1-click
      """
      {"phone": "+10123456789"}
      """
    And I remember "$.uuid" as one_click_uuid
    And the mock clock advances 301 seconds
    And I send GET /v2/1-click/{one_click_uuid}
    Then the response status is 410
    And "$.data.errorCode" is "OCE014"
