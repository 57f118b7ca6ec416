-- Unquoted names fold to lower case, so Sales.Deals is not "Sales"."Deals".
SELECT Id FROM Sales.Deals WHERE AccountId = 1
