@verified @mock-only @must-fail @v1
Feature: Wallet checks that must fail
  The user's side of a hosted 1-Click checks where the wallet link and the redirect lead.
  `tests/must_fail.rs` requires each scenario to fail at the step its `# expect-failure:`
  comment names, with that message.

  Background:
    Given the verified API
    When I send POST /1-click
      """
      {"phone": "+10123456789"}
      """

  # expect-failure: the user opens the wallet link "$.smsBody" :: is not a page of the mock's wallet
  Scenario: MUST FAIL - opening a value that is not a wallet link
    When the user opens the wallet link "$.smsBody"

  # expect-failure: the user opens the wallet link "$.smsBody" with redirectUrl "https://hooli.example/welcome" :: is not a page of the mock's wallet
  Scenario: MUST FAIL - opening a value that is not a wallet link, with a redirect
    When the user opens the wallet link "$.smsBody" with redirectUrl "https://hooli.example/welcome"

  # expect-failure: the user is sent back to "https://hooli.example/welcome" with a 1ClickUuid :: expected a 302 redirect, got 200
  Scenario: MUST FAIL - a wallet page said to be the redirect back
    When the user opens the wallet link "$.url"
    Then the user is sent back to "https://hooli.example/welcome" with a 1ClickUuid
