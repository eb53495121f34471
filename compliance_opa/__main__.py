from compliance_opa.cli.app import main

main()
