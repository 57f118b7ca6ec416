-- Quoted mixed-case names keep their case.
SELECT "Id", "Amount" FROM "Sales"."Deals" d WHERE d."AccountId" = $1 AND "closeDate" >= $2 ORDER BY "Amount" DESC
