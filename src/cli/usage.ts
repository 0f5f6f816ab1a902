export interface Command {
  help: string;
  run(args: string[]): Promise<number>;
}

export const COMMON_OPTIONS = `  --config FILE     configuration file (or RELAIS_CONFIG; default ./relais.config.{json,yaml})
  --data-dir DIR    data directory for the embedded database (or RELAIS_DATA_DIR; default ./data)
  Environment: DATABASE_URL selects a PostgreSQL server instead of the embedded database.
`;

export const USAGE = `relais: CTI middleware

Usage: relais <command> [options]

Commands:
  demo                       try Relais: demo customers, agents, routing and a simulated PBX making calls
  start                      serve the API and the PBX links
  migrate                    bring the database schema up to date
  customers import FILE.csv  import or update customers from a CSV file
  simulate csta              run the CSTA switch simulator (a fake PBX for demos and tests)

Run "relais <command> --help" for the options of a command.
`;
