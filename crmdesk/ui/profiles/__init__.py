"""Connection profiles in the window: the manager dialog, the keyring banner, the production
band and the guard every write goes through."""
