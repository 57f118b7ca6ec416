SET statement_timeout = '5s'
