// Caseroom client
