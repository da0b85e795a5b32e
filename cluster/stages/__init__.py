"""What the night does, stage by stage, in the order `cluster.night` runs them; the only code joining algorithms to the database."""
