"""Places of birth, nationalities and gyms from several sources, normalised and reconciled."""
