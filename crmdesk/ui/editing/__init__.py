"""Record editing in the window (issue 9's UI): cell editors that fit each field, pending
edits marked in the grid, review & save, record forms, create, delete, actions from the
entity's capabilities, the change log and undo. The logic behind it is `crmdesk.editing`."""
