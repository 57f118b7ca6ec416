SELEC id FROM users
