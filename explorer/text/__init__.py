"""How the lecture's quantities are written: numbers, notation and equations. No Qt here."""
