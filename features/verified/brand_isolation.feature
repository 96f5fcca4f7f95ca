@verified @second-tenant
Feature: Brand isolation
  Each API key is a brand. A brand sees only what it issued and only the 1-Clicks and shared
  credentials meant for it; another brand's ids answer exactly as unknown ones do. Users and
  their credentials belong to the network: any brand can check a user against them.
  ([verified-api-ref] § Get Credential: "issued by your brand"; § Patch All User
  Credentials: "by your brand"; § 1-Click: "grants you, and only, you access")

  Background:
    Given the verified API
    And a fresh id as user
    When I send POST /credentials
      """
      {"email": "isolated-{user}@example.com", "credentials": [{"type": "SsnCredential", "data": {"ssn": "123456780"}}]}
      """
    And I remember "$.credentials[0].id" as hoolis

  Scenario: Another brand cannot read, patch or list what Hooli issued
    Given I use the second tenant's credentials
    When I send GET /credentials/{hoolis}
    Then the response status is 404
    When I send PATCH /credentials/{hoolis}
      """
      {"status": "revoked"}
      """
    Then the response status is 404
    When I send GET /userCredentials/isolated-{user}@example.com
    Then the response status is 200
    And "$.credentials" is []
    Given I use the default credentials
    When I send GET /credentials/{hoolis}
    Then "$.status" is "valid"
    And the brand revokes what it issued to "isolated-{user}@example.com"

  Scenario: Another brand's patch-all leaves Hooli's credentials alone
    Given I use the second tenant's credentials
    When I send POST /credentials
      """
      {"email": "isolated-{user}@example.com", "credentials": [{"type": "EmailCredential", "data": {"email": "isolated-{user}@example.com"}}]}
      """
    And I send PATCH /userCredentials/isolated-{user}@example.com
      """
      {"status": "revoked"}
      """
    Then "$.credentials" has 1 item
    And "$.credentials[0].type" is "EmailCredential"
    Given I use the default credentials
    When I send GET /userCredentials/isolated-{user}@example.com
    Then "$.credentials" has 1 item
    And "$.credentials[0].status" is "valid"
    And the brand revokes what it issued to "isolated-{user}@example.com"

  Scenario: Any brand can check a user against credentials another brand issued
    Given I use the second tenant's credentials
    When I send POST /hasMatchingCredentials
      """
      {"email": "isolated-{user}@example.com", "credentialRequests": [{"type": "SsnCredential", "mandatory": "yes"}]}
      """
    Then "$.match" is true
    Given I use the default credentials
    Then the brand revokes what it issued to "isolated-{user}@example.com"

  @v1
  Scenario: Another brand cannot read Hooli's 1-Click
    When I send POST /1-click/trusted
      """
      {"phone": "+10123456789", "birthDate": "1989-08-01"}
      """
    And I remember "$.uuid" as one_click
    Given I use the second tenant's credentials
    When I send GET /1-click/{one_click}
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"
    When I send POST /1-click/{one_click}/credentials
      """
      {"credentials": {"ssn": "111111110"}}
      """
    Then the response status is 404
    And "$.data.errorCode" is "OCE015"
    Given I use the default credentials
    Then the brand revokes what it issued to "isolated-{user}@example.com"

  @mock-only
  Scenario: Another brand cannot read what a user shared with Hooli
    When I send POST /hasMatchingCredentials
      """
      {"phone": "+10123456789", "credentialRequests": [{"type": "SsnCredential"}]}
      """
    And the user opens the wallet link "$.url"
    And the user enters the verification code "111111"
    And the user shares the credentials
    And the user is sent back to "https://hooli.example/verified/callback" with a sharedCredentialsUuid
    Given I use the second tenant's credentials
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 404
    Given I use the default credentials
    When I send GET /sharedCredentials/{shared_credentials_uuid}
    Then the response status is 200
