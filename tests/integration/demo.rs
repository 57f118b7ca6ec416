//! `indexpilot demo`: a throwaway server with the CRM, a workload, and IndexPilot initialised.
