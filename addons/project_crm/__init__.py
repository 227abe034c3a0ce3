"""Glue between projects and CRM: an initiation request and its project name the CRM
opportunity they came from (``opportunity_id``), the project its signed contract
(``contract_id``); the opportunity's and the contract's forms list their projects."""
