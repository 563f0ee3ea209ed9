"""The notification inbox in the window (issue 12's UI). The logic behind it is
`crmdesk.inbox`, run by the Desk (`crmdesk.desk.Notifications`)."""
