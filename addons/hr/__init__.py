"""HR (人事管理): the org chart (departments, posts, employees) decides who may do and see
what: a post grants its groups to the employee's user and gives data scopes per model (the core's
``data_scope`` hook); contracts, transfers and resignations; attendance; leave counted on the
company's working calendar."""
